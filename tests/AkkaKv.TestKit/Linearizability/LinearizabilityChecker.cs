namespace AkkaKv.TestKit.Linearizability;

/// <summary>
/// Decides whether a key-value history is linearizable: the Wing–Gong search with Lowe's memoization of
/// (linearized set, state), run per key (linearizability is local, so keys are independent). Operations with
/// status <see cref="KvOperationStatus.Fail"/> are dropped; <see cref="KvOperationStatus.Info"/> ones never return,
/// so they may be placed anywhere after their call or left out; reads with unknown outcome are dropped.
/// </summary>
public static class LinearizabilityChecker
{
    /// <summary>Checks every key of <paramref name="history"/>; stops at the first key that fails.</summary>
    /// <param name="history">The operations, in any order.</param>
    /// <param name="maxStatesPerKey">A search budget per key; exceeding it is reported as a failure to decide.</param>
    public static LinearizabilityResult Check(IEnumerable<KvOperation> history, long maxStatesPerKey = 50_000_000)
    {
        ArgumentNullException.ThrowIfNull(history);
        long explored = 0;
        foreach (var group in history.GroupBy(operation => operation.Key).OrderBy(group => group.Key, StringComparer.Ordinal))
        {
            var result = CheckKey(group.Key, [.. group], maxStatesPerKey);
            if (!result.IsLinearizable)
            {
                return result;
            }
            explored += result.StatesExplored;
        }
        return new LinearizabilityResult(true, null, "", explored);
    }

    private sealed class Event
    {
        public required int Op { get; init; }
        public required bool IsCall { get; init; }
        public required double Time { get; init; }
        public Event? Prev { get; set; }
        public Event? Next { get; set; }
        public Event? Match { get; set; } // the call's return event
    }

    private static LinearizabilityResult CheckKey(string key, List<KvOperation> all, long maxStates)
    {
        var candidates = all
            .Where(operation => operation.Status != KvOperationStatus.Fail)
            .Where(operation => !(operation.Status == KvOperationStatus.Info && operation.Kind == KvOperationKind.Get))
            .ToList();
        var operations = candidates.Where(operation => !IsUnobservedUnknownWrite(operation, candidates)).ToList();
        var head = BuildEvents(operations);
        var linearized = new LinearizedSet(operations.Count, seed: key.Length);
        var seen = new HashSet<MemoKey>();
        var stack = new Stack<(Event Call, string? StateBefore)>();
        string? state = null;
        long explored = 0;
        var deepest = 0;
        KvOperation? stuckAt = null;
        var entry = head.Next;
        while (true)
        {
            if (entry is null || (!entry.IsCall && operations[entry.Op].Status == KvOperationStatus.Info))
            {
                // Only unknown-outcome operations are left: they may never take effect.
                return new LinearizabilityResult(true, key, "", explored);
            }
            if (entry.IsCall)
            {
                var operation = operations[entry.Op];
                if (Apply(operation, state, out var next))
                {
                    linearized.Add(entry.Op);
                    if (seen.Add(linearized.Key(next)))
                    {
                        if (++explored > maxStates)
                        {
                            return new LinearizabilityResult(false, key, $"search budget of {maxStates} states exhausted; undecided", explored);
                        }
                        stack.Push((entry, state));
                        state = next;
                        Lift(entry);
                        if (stack.Count > deepest)
                        {
                            deepest = stack.Count;
                            stuckAt = null;
                        }
                        entry = head.Next;
                        continue;
                    }
                    linearized.Remove(entry.Op);
                }
                else if (stack.Count == deepest)
                {
                    stuckAt ??= operation;
                }
                entry = entry.Next;
            }
            else
            {
                // An operation returned before we could place it: undo the last choice.
                if (stack.Count == 0)
                {
                    var culprit = stuckAt ?? operations[entry.Op];
                    return new LinearizabilityResult(false, key,
                        $"no order fits; after {deepest} operations the search could not place: {culprit}", explored);
                }
                var (call, before) = stack.Pop();
                state = before;
                linearized.Remove(call.Op);
                Unlift(call);
                entry = call.Next;
            }
        }
    }

    /// <summary>
    /// An unknown-outcome put or append whose value no read and no compare-and-swap ever saw can be left out: had
    /// it taken effect, its value would sit in the state until a put or delete replaced it, and nothing looked
    /// in between — except a failed compare-and-swap, whose verdict could hinge on it, so any failed one whose
    /// expected value could be a state (it starts with a written value) after the write's call keeps the write in.
    /// Dropping such writes keeps the search from trying every subset of them at every step.
    /// </summary>
    private static bool IsUnobservedUnknownWrite(KvOperation write, List<KvOperation> operations)
    {
        if (write.Status != KvOperationStatus.Info || write.Kind is not (KvOperationKind.Put or KvOperationKind.Append) ||
            string.IsNullOrEmpty(write.Value))
        {
            return false;
        }
        var value = write.Value;
        foreach (var operation in operations)
        {
            var observed = operation.Kind switch
            {
                KvOperationKind.Get => operation.Value,
                KvOperationKind.CompareAndSwap => operation.Expected,
                _ => null,
            };
            if (observed is not null && observed.Contains(value, StringComparison.Ordinal))
            {
                return false;
            }
            if (operation is { Kind: KvOperationKind.CompareAndSwap, Status: KvOperationStatus.Ok, Swapped: false } &&
                operation.ReturnTime > write.CallTime && CouldBeAState(operation.Expected, operations))
            {
                return false;
            }
        }
        return true;
    }

    private static bool CouldBeAState(string? expected, List<KvOperation> operations) =>
        expected is null || operations.Any(operation =>
            operation.Kind is KvOperationKind.Put or KvOperationKind.Append or KvOperationKind.CompareAndSwap &&
            !string.IsNullOrEmpty(operation.Value) && expected.StartsWith(operation.Value, StringComparison.Ordinal));

    private static Event BuildEvents(List<KvOperation> operations)
    {
        var events = new List<Event>(operations.Count * 2);
        for (var i = 0; i < operations.Count; i++)
        {
            var operation = operations[i];
            var returnTime = operation.Status == KvOperationStatus.Info ? double.PositiveInfinity : operation.ReturnTime;
            var call = new Event { Op = i, IsCall = true, Time = operation.CallTime };
            var ret = new Event { Op = i, IsCall = false, Time = returnTime };
            call.Match = ret;
            events.Add(call);
            events.Add(ret);
        }
        // Calls sort before returns at equal times: operations that touch at an instant are concurrent.
        events.Sort((a, b) => a.Time != b.Time ? a.Time.CompareTo(b.Time) : (a.IsCall == b.IsCall ? a.Op.CompareTo(b.Op) : a.IsCall ? -1 : 1));
        var head = new Event { Op = -1, IsCall = true, Time = double.NegativeInfinity };
        var previous = head;
        foreach (var current in events)
        {
            previous.Next = current;
            current.Prev = previous;
            previous = current;
        }
        return head;
    }

    private static void Lift(Event call)
    {
        call.Prev!.Next = call.Next;
        call.Next!.Prev = call.Prev;
        var ret = call.Match!;
        ret.Prev!.Next = ret.Next;
        if (ret.Next is not null)
        {
            ret.Next.Prev = ret.Prev;
        }
    }

    private static void Unlift(Event call)
    {
        var ret = call.Match!;
        ret.Prev!.Next = ret;
        if (ret.Next is not null)
        {
            ret.Next.Prev = ret;
        }
        call.Prev!.Next = call;
        call.Next!.Prev = call;
    }

    /// <summary>A memo entry: which operations are linearized (with a Zobrist hash of the set) and the state.</summary>
    private readonly struct MemoKey(ulong setHash, ulong[] bits, string? state) : IEquatable<MemoKey>
    {
        public bool Equals(MemoKey other) =>
            setHash == other.SetHash && string.Equals(state, other.State, StringComparison.Ordinal) && bits.AsSpan().SequenceEqual(other.Bits);

        public override bool Equals(object? obj) => obj is MemoKey other && Equals(other);

        public override int GetHashCode() => HashCode.Combine(setHash, state is null ? 0 : string.GetHashCode(state, StringComparison.Ordinal));

        private ulong SetHash => setHash;

        private ulong[] Bits => bits;

        private string? State => state;
    }

    /// <summary>The set of linearized operations as bits, with an incrementally maintained Zobrist hash.</summary>
    private sealed class LinearizedSet
    {
        private readonly ulong[] _bits;
        private readonly ulong[] _zobrist;
        private ulong _hash;

        public LinearizedSet(int count, int seed)
        {
            _bits = new ulong[(count + 63) / 64];
            _zobrist = new ulong[count];
            var random = new Random(seed);
            for (var i = 0; i < count; i++)
            {
                _zobrist[i] = (ulong)random.NextInt64() ^ ((ulong)random.NextInt64() << 32);
            }
        }

        public void Add(int op)
        {
            _bits[op >> 6] |= 1UL << (op & 63);
            _hash ^= _zobrist[op];
        }

        public void Remove(int op)
        {
            _bits[op >> 6] &= ~(1UL << (op & 63));
            _hash ^= _zobrist[op];
        }

        public MemoKey Key(string? state) => new(_hash, (ulong[])_bits.Clone(), state);
    }

    /// <summary>The model: can <paramref name="operation"/> happen in <paramref name="state"/>, and what follows?</summary>
    private static bool Apply(KvOperation operation, string? state, out string? next)
    {
        next = state;
        switch (operation.Kind)
        {
            case KvOperationKind.Get:
                return operation.Value == state;
            case KvOperationKind.Put:
                next = operation.Value;
                return true;
            case KvOperationKind.Append:
                next = (state ?? "") + operation.Value;
                return true;
            case KvOperationKind.Delete:
                next = null;
                return true;
            case KvOperationKind.CompareAndSwap:
                var matches = operation.Expected == state;
                if (operation.Status == KvOperationStatus.Info)
                {
                    next = matches ? operation.Value : state;
                    return true;
                }
                if (operation.Swapped != matches)
                {
                    return false;
                }
                next = matches ? operation.Value : state;
                return true;
            default:
                throw new ArgumentOutOfRangeException(nameof(operation), operation.Kind, "unknown operation");
        }
    }
}
