using System.Globalization;

namespace AkkaKv.Cli.Bench;

/// <summary>
/// A closed-loop load generator over HTTP: each worker picks a key uniformly and a read or a write by the read
/// ratio, waits for the answer, records its latency, and goes again, until the duration or operation count is
/// reached. Prints a progress line every second.
/// </summary>
internal sealed class LoadGenerator(BenchSettings settings, Uri endpoint, TextWriter progress, TimeProvider time)
{
    public async Task<BenchResult> RunAsync(CancellationToken cancellationToken)
    {
        using var handler = new SocketsHttpHandler { MaxConnectionsPerServer = settings.Connections, PooledConnectionLifetime = Timeout.InfiniteTimeSpan };
        using var http = new HttpClient(handler) { BaseAddress = endpoint, Timeout = TimeSpan.FromSeconds(30) };
        var value = new byte[settings.ValueSize];
        new Random(settings.Seed).NextBytes(value);
        if (settings.Preload)
        {
            await PreloadAsync(http, value, cancellationToken);
        }
        if (settings.Warmup > TimeSpan.Zero)
        {
            await progress.WriteLineAsync(string.Create(CultureInfo.InvariantCulture, $"warming up for {settings.Warmup.TotalSeconds:0.###} s (not measured)..."));
            await RunPhaseAsync(http, value, settings.Warmup, null, seedSalt: 104729, cancellationToken);
        }
        var (workers, total) = await RunPhaseAsync(http, value, settings.Duration, settings.Operations, seedSalt: 0, cancellationToken);
        return new BenchResult(settings, total,
        [
            OperationStats.From("put", [.. workers.SelectMany(worker => worker.WriteLatenciesMs)], workers.Sum(worker => worker.WriteErrors)),
            OperationStats.From("get", [.. workers.SelectMany(worker => worker.ReadLatenciesMs)], workers.Sum(worker => worker.ReadErrors)),
        ]);
    }

    /// <summary>One closed-loop run until <paramref name="duration"/> or <paramref name="operations"/>, with a progress line every second.</summary>
    private async Task<(Worker[] Workers, TimeSpan Elapsed)> RunPhaseAsync(HttpClient http, byte[] value, TimeSpan? duration, long? operations, int seedSalt, CancellationToken cancellationToken)
    {
        var workers = new Worker[settings.Connections];
        long remaining = operations ?? long.MaxValue;
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        if (duration is { } runFor)
        {
            stop.CancelAfter(runFor);
        }
        var started = time.GetTimestamp();
        var tasks = new Task[workers.Length];
        for (var i = 0; i < workers.Length; i++)
        {
            workers[i] = new Worker(new Random(settings.Seed * 7919 + seedSalt + i));
            var worker = workers[i];
            tasks[i] = Task.Run(() => worker.RunAsync(http, settings, value, () => Interlocked.Decrement(ref remaining) >= 0, time, stop.Token), CancellationToken.None);
        }
        var all = Task.WhenAll(tasks);
        while (!all.IsCompleted)
        {
            await Task.WhenAny(all, Task.Delay(TimeSpan.FromSeconds(1), time, CancellationToken.None));
            var elapsed = time.GetElapsedTime(started);
            var done = workers.Sum(worker => worker.Completed);
            var errors = workers.Sum(worker => worker.Errors);
            await progress.WriteAsync(string.Create(CultureInfo.InvariantCulture,
                $"\r[{elapsed.TotalSeconds,5:0}s] {done,10} ops  {done / Math.Max(elapsed.TotalSeconds, 0.001),9:0} ops/s  errors {errors}   "));
        }
        await progress.WriteLineAsync();
        return (workers, time.GetElapsedTime(started));
    }

    private const int PreloadAttempts = 10;

    private async Task PreloadAsync(HttpClient http, byte[] value, CancellationToken cancellationToken)
    {
        await progress.WriteLineAsync($"preloading {settings.Keys} keys...");
        await Parallel.ForEachAsync(Enumerable.Range(0, settings.Keys), new ParallelOptions { MaxDegreeOfParallelism = settings.Connections, CancellationToken = cancellationToken }, async (key, token) =>
        {
            // A 503 means not applied (an election, a leader transfer during rebalancing): the write is retried.
            for (var attempt = 1; ; attempt++)
            {
                using var response = await http.PutAsync(Worker.KeyPath(key), new ByteArrayContent(value), token);
                if (response.StatusCode != System.Net.HttpStatusCode.ServiceUnavailable || attempt == PreloadAttempts)
                {
                    response.EnsureSuccessStatusCode();
                    return;
                }
                await Task.Delay(TimeSpan.FromMilliseconds(100 * attempt), token);
            }
        });
    }

    /// <summary>One closed-loop connection's state; touched only by its own task until the run ends.</summary>
    private sealed class Worker(Random random)
    {
        public List<double> ReadLatenciesMs { get; } = [];
        public List<double> WriteLatenciesMs { get; } = [];
        public long ReadErrors { get; private set; }
        public long WriteErrors { get; private set; }
        public long Errors => ReadErrors + WriteErrors;
        public long Completed => Volatile.Read(ref _completed);
        private long _completed;

        public static string KeyPath(int key) => "/v1/kv/bench-" + key.ToString("D8", CultureInfo.InvariantCulture);

        public async Task RunAsync(HttpClient http, BenchSettings settings, byte[] value, Func<bool> takeOperation, TimeProvider time, CancellationToken stop)
        {
            var query = settings.Consistency == "linearizable" ? "" : "?consistency=" + settings.Consistency;
            while (!stop.IsCancellationRequested && takeOperation())
            {
                var path = KeyPath(random.Next(settings.Keys));
                var isRead = random.NextDouble() < settings.ReadRatio;
                var started = time.GetTimestamp();
                bool ok;
                try
                {
                    using var response = isRead
                        ? await http.GetAsync(path + query, HttpCompletionOption.ResponseContentRead, CancellationToken.None)
                        : await http.PutAsync(path, new ByteArrayContent(value), CancellationToken.None);
                    ok = response.IsSuccessStatusCode || (isRead && response.StatusCode == System.Net.HttpStatusCode.NotFound);
                }
                catch (HttpRequestException)
                {
                    ok = false;
                }
                catch (TaskCanceledException)
                {
                    ok = false;
                }
                var latency = time.GetElapsedTime(started).TotalMilliseconds;
                if (!ok)
                {
                    if (isRead) ReadErrors++; else WriteErrors++;
                }
                else
                {
                    (isRead ? ReadLatenciesMs : WriteLatenciesMs).Add(latency);
                }
                Interlocked.Increment(ref _completed);
            }
        }
    }

}
