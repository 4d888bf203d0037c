using System.CommandLine;
using System.Text;
using System.Text.Json;
using AkkaKv.Client;

namespace AkkaKv.Cli;

/// <summary><c>akkakv kv get|put|append|del|scan</c>.</summary>
internal static class KvCommands
{
    public static Command Create(TextWriter stdout, TextWriter stderr, Stream stdin)
    {
        var kv = new Command("kv", "Read and write keys");
        kv.Subcommands.Add(Get(stdout, stderr));
        kv.Subcommands.Add(Write("put", "Set a key's value (from the argument, or stdin with '-')", stdout, stderr, stdin, append: false));
        kv.Subcommands.Add(Write("append", "Append to a key's value (an absent key starts empty)", stdout, stderr, stdin, append: true));
        kv.Subcommands.Add(Delete(stdout, stderr));
        kv.Subcommands.Add(Scan(stdout, stderr));
        return kv;
    }

    private static readonly Argument<string> Key = new("key") { Description = "The key (UTF-8, 1 to 1024 bytes)" };

    private static readonly Option<ulong?> IfVersion = new("--if-version") { Description = "Write only if the key is at this version (compare-and-swap)" };

    private static Command Get(TextWriter stdout, TextWriter stderr)
    {
        var consistency = new Option<ReadConsistency>("--consistency") { Description = "linearizable (default), serializable or eventual", DefaultValueFactory = _ => ReadConsistency.Linearizable };
        var command = new Command("get", "Print a key's value") { Key, consistency };
        command.SetAction((parse, cancellation) => CliRunner.RunAsync(parse, stderr, async client =>
        {
            var key = parse.GetValue(Key)!;
            var entry = await client.GetAsync(key, parse.GetValue(consistency), cancellation);
            if (entry is null)
            {
                await stderr.WriteLineAsync($"akkakv: key '{key}' not found");
                return ExitCodes.NotFoundOrConditionFailed;
            }
            if (parse.GetValue(CliOptions.Output) == OutputFormat.Json)
            {
                await stdout.WriteLineAsync(JsonSerializer.Serialize(new { key, version = entry.Version, value = Convert.ToBase64String(entry.Value.Span) }));
            }
            else
            {
                await stdout.WriteAsync(Encoding.UTF8.GetString(entry.Value.Span));
                await stdout.WriteLineAsync();
            }
            return ExitCodes.Success;
        }));
        return command;
    }

    private static Command Write(string name, string description, TextWriter stdout, TextWriter stderr, Stream stdin, bool append)
    {
        var value = new Argument<string>("value") { Description = "The value; '-' reads it from stdin" };
        var ifAbsent = new Option<bool>("--if-absent") { Description = "Write only if the key does not exist" };
        var command = new Command(name, description) { Key, value, IfVersion };
        if (!append)
        {
            command.Options.Add(ifAbsent);
        }
        command.SetAction((parse, cancellation) => CliRunner.RunAsync(parse, stderr, async client =>
        {
            var key = parse.GetValue(Key)!;
            var text = parse.GetValue(value)!;
            byte[] bytes;
            if (text == "-")
            {
                using var buffer = new MemoryStream();
                await stdin.CopyToAsync(buffer, cancellation);
                bytes = buffer.ToArray();
            }
            else
            {
                bytes = Encoding.UTF8.GetBytes(text);
            }
            try
            {
                var version = append
                    ? await client.AppendAsync(key, bytes, parse.GetValue(IfVersion), cancellation)
                    : await client.PutAsync(key, bytes, parse.GetValue(IfVersion), parse.GetValue(ifAbsent), cancellation);
                await stdout.WriteLineAsync(parse.GetValue(CliOptions.Output) == OutputFormat.Json
                    ? JsonSerializer.Serialize(new { key, version })
                    : $"{key} version {version}");
                return ExitCodes.Success;
            }
            catch (PreconditionFailedException failed)
            {
                await stderr.WriteLineAsync($"akkakv: not written: {failed.Message}");
                return ExitCodes.NotFoundOrConditionFailed;
            }
        }));
        return command;
    }

    private static Command Delete(TextWriter stdout, TextWriter stderr)
    {
        var command = new Command("del", "Delete a key") { Key, IfVersion };
        command.SetAction((parse, cancellation) => CliRunner.RunAsync(parse, stderr, async client =>
        {
            var key = parse.GetValue(Key)!;
            try
            {
                if (!await client.DeleteAsync(key, parse.GetValue(IfVersion), cancellation))
                {
                    await stderr.WriteLineAsync($"akkakv: key '{key}' not found");
                    return ExitCodes.NotFoundOrConditionFailed;
                }
            }
            catch (PreconditionFailedException failed)
            {
                await stderr.WriteLineAsync($"akkakv: not deleted: {failed.Message}");
                return ExitCodes.NotFoundOrConditionFailed;
            }
            await stdout.WriteLineAsync($"{key} deleted");
            return ExitCodes.Success;
        }));
        return command;
    }

    private static Command Scan(TextWriter stdout, TextWriter stderr)
    {
        var prefix = new Option<string>("--prefix") { Description = "Only keys starting with this", DefaultValueFactory = _ => "" };
        var limit = new Option<int>("--limit") { Description = "Most keys to list (1-10000)", DefaultValueFactory = _ => 100 };
        var command = new Command("scan", "List keys with their versions, sorted") { prefix, limit };
        command.SetAction((parse, cancellation) => CliRunner.RunAsync(parse, stderr, async client =>
        {
            var keys = await client.ScanAsync(parse.GetValue(prefix)!, parse.GetValue(limit), cancellation);
            if (parse.GetValue(CliOptions.Output) == OutputFormat.Json)
            {
                await stdout.WriteLineAsync(JsonSerializer.Serialize(keys.Select(entry => new { key = entry.Key, version = entry.Version })));
                return ExitCodes.Success;
            }
            var width = Math.Max(3, keys.Count == 0 ? 0 : keys.Max(entry => entry.Key.Length));
            await stdout.WriteLineAsync($"{"KEY".PadRight(width)}  VERSION");
            foreach (var entry in keys)
            {
                await stdout.WriteLineAsync($"{entry.Key.PadRight(width)}  {entry.Version}");
            }
            return ExitCodes.Success;
        }));
        return command;
    }
}
