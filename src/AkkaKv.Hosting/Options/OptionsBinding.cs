using System.ComponentModel.DataAnnotations;
using System.Reflection;
using System.Text.RegularExpressions;
using AkkaKv.Hosting.Configuration;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace AkkaKv.Hosting.Options;

/// <summary>
/// Binds a typed options record from its configuration section and validates it, reporting every bad setting with
/// its HOCON path, value and origin (file:line:column, environment variable or --set).
/// </summary>
public static partial class OptionsBinding
{
    /// <summary>Registers <typeparamref name="TOptions"/> bound from <paramref name="section"/> and validated when the host starts.</summary>
    public static IServiceCollection AddAkkaKvOptions<TOptions>(this IServiceCollection services, string section)
        where TOptions : class, new()
    {
        ArgumentNullException.ThrowIfNull(services);
        services.AddOptions<TOptions>()
            .Configure<IConfiguration>((options, configuration) => BindInto(configuration, section, options))
            .ValidateOnStart();
        services.AddSingleton<IValidateOptions<TOptions>>(provider =>
            new PositionedValidator<TOptions>(provider.GetRequiredService<IConfiguration>(), section));
        return services;
    }

    /// <summary>Binds and validates in one call; throws <see cref="ConfigurationErrorsException"/> listing every problem.</summary>
    public static TOptions Bind<TOptions>(IConfiguration configuration, string section)
        where TOptions : class, new()
    {
        ArgumentNullException.ThrowIfNull(configuration);
        var options = new TOptions();
        BindInto(configuration, section, options);
        var errors = Validate(configuration, section, options);
        return errors.Count == 0 ? options : throw new ConfigurationErrorsException(errors);
    }

    /// <summary>Problems with <paramref name="options"/>, one line each.</summary>
    public static IReadOnlyList<string> Validate<TOptions>(IConfiguration configuration, string section, TOptions options)
        where TOptions : class
    {
        ArgumentNullException.ThrowIfNull(options);
        var errors = new List<string>();
        foreach (var property in typeof(TOptions).GetProperties(BindingFlags.Public | BindingFlags.Instance))
        {
            var key = KeyOf(section, property);
            var value = property.GetValue(options);
            var context = new ValidationContext(options) { MemberName = property.Name, DisplayName = property.Name };
            foreach (var attribute in property.GetCustomAttributes<ValidationAttribute>())
            {
                var result = attribute.GetValidationResult(value, context);
                if (result != ValidationResult.Success)
                {
                    errors.Add(Describe(configuration, key, Reword(result?.ErrorMessage, property.Name)));
                }
            }
        }
        if (options is IValidatableObject validatable)
        {
            foreach (var result in validatable.Validate(new ValidationContext(options)))
            {
                var member = result.MemberNames.FirstOrDefault();
                var property = member is null ? null : typeof(TOptions).GetProperty(member);
                errors.Add(property is null
                    ? $"{ToHoconPath(section)}: {result.ErrorMessage}"
                    : Describe(configuration, KeyOf(section, property), result.ErrorMessage ?? "invalid"));
            }
        }
        return errors;
    }

    private static void BindInto<TOptions>(IConfiguration configuration, string section, TOptions options)
        where TOptions : class
    {
        Hocon.DurationConverter.Register();
        Hocon.HoconBooleanConverter.Register();
        try
        {
            configuration.GetSection(section).Bind(options, binder => binder.ErrorOnUnknownConfiguration = false);
        }
        catch (InvalidOperationException exception)
        {
            var match = BinderKeyPattern().Match(exception.Message);
            var key = match.Success ? match.Groups["key"].Value : section;
            var target = exception.InnerException?.Message ?? exception.Message;
            throw new ConfigurationErrorsException([Describe(configuration, key, $"cannot be read: {target.TrimEnd('.')}")]);
        }
    }

    private static string Describe(IConfiguration configuration, string key, string problem)
    {
        var value = configuration[key];
        var origin = configuration.DescribeOrigin(key);
        var shown = value is null ? "(not set)" : $"'{value}'";
        return origin is null
            ? $"{ToHoconPath(key)} = {shown}: {problem}"
            : $"{ToHoconPath(key)} = {shown} ({origin}): {problem}";
    }

    private static string KeyOf(string section, PropertyInfo property) =>
        $"{section}:{property.GetCustomAttribute<ConfigurationKeyNameAttribute>()?.Name ?? property.Name}";

    private static string ToHoconPath(string key) => key.Replace(ConfigurationPath.KeyDelimiter, ".", StringComparison.Ordinal);

    private static string Reword(string? message, string propertyName) =>
        (message ?? "invalid").Replace($"The field {propertyName} ", "", StringComparison.Ordinal)
            .Replace($"The {propertyName} field ", "", StringComparison.Ordinal).TrimEnd('.');

    [GeneratedRegex("at '(?<key>[^']+)'")]
    private static partial Regex BinderKeyPattern();

    private sealed class PositionedValidator<TOptions>(IConfiguration configuration, string section) : IValidateOptions<TOptions>
        where TOptions : class
    {
        public ValidateOptionsResult Validate(string? name, TOptions options)
        {
            var errors = OptionsBinding.Validate(configuration, section, options);
            return errors.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(errors);
        }
    }
}
