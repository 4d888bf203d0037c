using System.Diagnostics.CodeAnalysis;
using System.Runtime.CompilerServices;

namespace AkkaKv;

/// <summary>
/// Checks that always run, in Release too (unlike <c>Debug.Assert</c>). A failed check is a bug: it throws
/// <see cref="InvariantViolationException"/>, the owning actor crashes and its supervisor restarts it from durable
/// state; in simulation the seed fails.
/// </summary>
public static class Invariant
{
    /// <summary>Throws <see cref="InvariantViolationException"/> naming the condition when it is false.</summary>
    public static void Check(
        [DoesNotReturnIf(false)] bool condition,
        [CallerArgumentExpression(nameof(condition))] string? expression = null)
    {
        if (!condition)
        {
            Fail(expression);
        }
    }

    /// <summary>Throws <see cref="InvariantViolationException"/> with the condition and a detail message.</summary>
    public static void Check(
        [DoesNotReturnIf(false)] bool condition,
        string detail,
        [CallerArgumentExpression(nameof(condition))] string? expression = null)
    {
        if (!condition)
        {
            Fail($"{expression}: {detail}");
        }
    }

    /// <summary>
    /// As <see cref="Check(bool, string, string?)"/> for an interpolated detail, which is formatted only when the
    /// condition is false: checks on hot paths (every applied entry) then cost no string building.
    /// </summary>
    public static void Check(
        [DoesNotReturnIf(false)] bool condition,
        [InterpolatedStringHandlerArgument(nameof(condition))] ref InvariantDetailHandler detail,
        [CallerArgumentExpression(nameof(condition))] string? expression = null)
    {
        if (!condition)
        {
            Fail($"{expression}: {detail.ToStringAndClear()}");
        }
    }

    [DoesNotReturn]
    [MethodImpl(MethodImplOptions.NoInlining)]
    private static void Fail(string? expression) =>
        throw new InvariantViolationException($"Invariant violated: {expression}");
}
