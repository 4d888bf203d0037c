using AkkaKv.Hosting.Configuration;
using AkkaKv.Hosting.Options;
using Microsoft.Extensions.Configuration;

namespace AkkaKv.Hosting.Tests;

/// <summary>
/// The configuration layers (reference.conf, file, AKKAKV__ environment, --set) and typed options: later layers
/// win, and every bad setting is reported with its path, value and origin. Method: build real configuration roots
/// from temporary files and fake environments.
/// </summary>
public sealed class ConfigurationLayersTests : IDisposable
{
    private readonly string _directory = Directory.CreateTempSubdirectory("akkakv-config-").FullName;

    public void Dispose() => Directory.Delete(_directory, recursive: true);

    private string WriteConf(string text, string name = "node.conf")
    {
        var path = Path.Combine(_directory, name);
        File.WriteAllText(path, text);
        return path;
    }

    private static IConfigurationRoot Build(string? file = null, IReadOnlyList<string>? sets = null, Dictionary<string, string?>? environment = null) =>
        new ConfigurationBuilder()
            .AddAkkaKvConfiguration(file is null ? [] : [file], sets ?? [], () => environment ?? [])
            .Build();

    [Fact]
    public void Reference_defaults_apply_when_nothing_overrides_them()
    {
        var configuration = Build();
        var http = OptionsBinding.Bind<HttpOptions>(configuration, HttpOptions.Section);
        var actor = OptionsBinding.Bind<ActorOptions>(configuration, ActorOptions.Section);
        Assert.Equal(8080, http.Port);
        Assert.Equal("127.0.0.1", http.Hostname);
        Assert.Equal(TimeSpan.FromSeconds(5), actor.AskTimeout);
        Assert.Equal(30, actor.Throughput);
    }

    [Fact]
    public void Reference_conf_and_option_defaults_agree()
    {
        // The record defaults are what code gets without configuration; reference.conf is what operators read.
        var configuration = Build();
        Assert.Equal(new ActorOptions(), OptionsBinding.Bind<ActorOptions>(configuration, ActorOptions.Section));
        Assert.Equal(new HttpOptions(), OptionsBinding.Bind<HttpOptions>(configuration, HttpOptions.Section));
        Assert.Equal(new NodeOptions(), OptionsBinding.Bind<NodeOptions>(configuration, NodeOptions.Section));
        Assert.Equal(new ShardingOptions(), OptionsBinding.Bind<ShardingOptions>(configuration, ShardingOptions.Section));
        Assert.Equal(new PersistenceOptions(), OptionsBinding.Bind<PersistenceOptions>(configuration, PersistenceOptions.Section));
        Assert.Equal(new RaftSettings(), OptionsBinding.Bind<RaftSettings>(configuration, RaftSettings.Section));
        Assert.Equal(new RemoteSettings(), OptionsBinding.Bind<RemoteSettings>(configuration, RemoteSettings.Section));
        Assert.Equal(new RemoteTlsSettings(), OptionsBinding.Bind<RemoteTlsSettings>(configuration, RemoteTlsSettings.Section));
        Assert.Equal(new FailureDetectorSettings(), OptionsBinding.Bind<FailureDetectorSettings>(configuration, FailureDetectorSettings.Section));
        Assert.Equal(new SplitBrainResolverSettings(), OptionsBinding.Bind<SplitBrainResolverSettings>(configuration, SplitBrainResolverSettings.Section));
        var cluster = OptionsBinding.Bind<ClusterSettings>(configuration, ClusterSettings.Section);
        var defaults = new ClusterSettings();
        Assert.Equal(defaults, cluster with { SeedNodes = defaults.SeedNodes, Roles = defaults.Roles });
        Assert.Empty(cluster.SeedNodes);
        Assert.Empty(cluster.Roles);
    }

    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(3)]
    [InlineData(4)]
    [InlineData(5)]
    public void The_local_cluster_files_give_node_n_its_ports_data_directory_and_the_two_seeds(int n)
    {
        var directory = AppContext.BaseDirectory;
        while (!File.Exists(Path.Combine(directory, "hocon", "local", "node1.conf")))
        {
            directory = Path.GetDirectoryName(directory) ?? throw new InvalidOperationException("hocon/local not found above the test directory");
        }
        var configuration = Build(Path.Combine(directory, "hocon", "local", $"node{n}.conf"));
        Assert.Equal($"node{n}", OptionsBinding.Bind<NodeOptions>(configuration, NodeOptions.Section).Name);
        Assert.Equal($"data/node{n}", OptionsBinding.Bind<NodeOptions>(configuration, NodeOptions.Section).DataDir);
        Assert.Equal(8080 + n, OptionsBinding.Bind<HttpOptions>(configuration, HttpOptions.Section).Port);
        Assert.Equal(2550 + n, OptionsBinding.Bind<RemoteSettings>(configuration, RemoteSettings.Section).Port);
        var cluster = OptionsBinding.Bind<ClusterSettings>(configuration, ClusterSettings.Section);
        Assert.Equal(["127.0.0.1:2551", "127.0.0.1:2552"], cluster.SeedNodes);
        Assert.Equal("akkakv-local", cluster.Name);
    }

    [Theory]
    [InlineData("akkakv.remote.hostname = \"0.0.0.0\"", "akkakv.remote.public-hostname", "set public-hostname")]
    [InlineData("akkakv.remote.retry-gate-closed-for = 1ms", "akkakv.remote.retry-gate-closed-for", "must be between")]
    [InlineData("akkakv.cluster.seed-nodes = [\"10.0.0.1\"]", "akkakv.cluster", "seed-nodes entry '10.0.0.1' is not a host:port address")]
    [InlineData("akkakv.cluster.name = \"has space\"", "akkakv.cluster.name", "must be 1-63 letters")]
    [InlineData("akkakv.cluster.split-brain-resolver.active-strategy = static-quorum", "akkakv.cluster.split-brain-resolver.static-quorum-size", "must be at least 1")]
    [InlineData("akkakv.cluster.failure-detector.threshold = 0", "akkakv.cluster.failure-detector.threshold", "must be between")]
    [InlineData("akkakv.remote.tls.enabled = on", "akkakv.remote.tls.certificate", "is required when tls.enabled = on")]
    [InlineData("akkakv.remote.tls { enabled = on, certificate = /nope.pem, private-key = /nope.key, trusted-authorities = /nope-ca.pem }", "akkakv.remote.tls.certificate", "'/nope.pem' does not exist")]
    public void Bad_remote_and_cluster_settings_are_refused_naming_the_setting(string text, string path, string problem)
    {
        var configuration = Build(WriteConf(text));
        var errors = new List<string>();
        foreach (var bind in new Action[]
        {
            () => OptionsBinding.Bind<RemoteSettings>(configuration, RemoteSettings.Section),
            () => OptionsBinding.Bind<RemoteTlsSettings>(configuration, RemoteTlsSettings.Section),
            () => OptionsBinding.Bind<ClusterSettings>(configuration, ClusterSettings.Section),
            () => OptionsBinding.Bind<FailureDetectorSettings>(configuration, FailureDetectorSettings.Section),
            () => OptionsBinding.Bind<SplitBrainResolverSettings>(configuration, SplitBrainResolverSettings.Section),
        })
        {
            try
            {
                bind();
            }
            catch (ConfigurationErrorsException error)
            {
                errors.AddRange(error.Errors);
            }
        }
        Assert.Contains(errors, line => line.StartsWith(path, StringComparison.Ordinal) && line.Contains(problem, StringComparison.Ordinal));
    }

    [Theory]
    [InlineData("on", true)]
    [InlineData("yes", true)]
    [InlineData("TRUE", true)]
    [InlineData("off", false)]
    [InlineData("no", false)]
    [InlineData("false", false)]
    public void Booleans_take_every_HOCON_spelling(string text, bool expected)
    {
        var file = WriteConf($"akkakv.raft.pre-vote = {text}");
        Assert.Equal(expected, OptionsBinding.Bind<RaftSettings>(Build(file), RaftSettings.Section).PreVote);
    }

    [Fact]
    public void A_boolean_that_is_not_one_is_refused_with_its_position()
    {
        var file = WriteConf("akkakv.raft.check-quorum = maybe");
        var error = Assert.Throws<ConfigurationErrorsException>(() => OptionsBinding.Bind<RaftSettings>(Build(file), RaftSettings.Section));
        Assert.StartsWith($"akkakv.raft.check-quorum = 'maybe' ({file}:1:28): cannot be read", Assert.Single(error.Errors), StringComparison.Ordinal);
    }

    [Fact]
    public void Raft_settings_that_contradict_each_other_are_refused_with_their_position()
    {
        var file = WriteConf("akkakv.raft {\n  election-ticks = 4\n  heartbeat-ticks = 4\n  lease-reads = on\n  check-quorum = off\n}");
        var error = Assert.Throws<ConfigurationErrorsException>(() => OptionsBinding.Bind<RaftSettings>(Build(file), RaftSettings.Section));
        Assert.Contains("akkakv.raft.heartbeat-ticks = '4'", error.Message, StringComparison.Ordinal);
        Assert.Contains("must be below election-ticks (4)", error.Message, StringComparison.Ordinal);
        Assert.Contains("lease reads require check-quorum = on", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void File_then_environment_then_set_each_override_the_one_before()
    {
        var file = WriteConf("akkakv.http.port = 8081\nakkakv.actor.ask-timeout = 250ms\nakkakv.node.name = from-file");
        var environment = new Dictionary<string, string?> { ["AKKAKV__HTTP__PORT"] = "8082", ["AKKAKV__NODE__NAME"] = "from-env" };
        var configuration = Build(file, ["akkakv.node.name=from-set"], environment);
        Assert.Equal(8082, OptionsBinding.Bind<HttpOptions>(configuration, HttpOptions.Section).Port);
        Assert.Equal("from-set", OptionsBinding.Bind<NodeOptions>(configuration, NodeOptions.Section).Name);
        Assert.Equal(TimeSpan.FromMilliseconds(250), OptionsBinding.Bind<ActorOptions>(configuration, ActorOptions.Section).AskTimeout);
    }

    [Theory]
    [InlineData("AKKAKV__HTTP__PORT", "akkakv:http:port")]
    [InlineData("AKKAKV__ACTOR__ASK_TIMEOUT", "akkakv:actor:ask-timeout")]
    [InlineData("akkakv__node__data_dir", "akkakv:node:data-dir")]
    [InlineData("AKKAKV__", null)]
    [InlineData("AKKAKV____X", null)]
    [InlineData("OTHER__HTTP__PORT", null)]
    public void Environment_variables_map_to_setting_paths(string variable, string? key) =>
        Assert.Equal(key, AkkaKvEnvironmentSource.ToKey(variable));

    [Theory]
    [InlineData("no-equals-sign")]
    [InlineData("=value")]
    [InlineData("a..b=1")]
    [InlineData("a b=1")]
    public void Malformed_set_arguments_are_rejected_with_an_example(string assignment)
    {
        var error = Assert.Throws<FormatException>(() => CommandLineOverrideSource.Parse([assignment]));
        Assert.Contains("--set akkakv.http.port=8081", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void An_out_of_range_value_names_the_setting_value_and_file_position()
    {
        var file = WriteConf("akkakv {\n  http {\n    port = 70000\n  }\n}\n");
        var error = Assert.Throws<ConfigurationErrorsException>(() => OptionsBinding.Bind<HttpOptions>(Build(file), HttpOptions.Section));
        var line = Assert.Single(error.Errors);
        Assert.Equal($"akkakv.http.port = '70000' ({file}:3:12): must be between 1 and 65535", line);
    }

    [Fact]
    public void A_value_of_the_wrong_type_names_the_setting_and_its_origin()
    {
        var file = WriteConf("akkakv.actor.throughput = lots");
        var error = Assert.Throws<ConfigurationErrorsException>(() => OptionsBinding.Bind<ActorOptions>(Build(file), ActorOptions.Section));
        Assert.StartsWith($"akkakv.actor.throughput = 'lots' ({file}:1:27): cannot be read", Assert.Single(error.Errors), StringComparison.Ordinal);
    }

    [Fact]
    public void A_retired_setting_is_refused_naming_where_it_was_set_and_what_replaced_it()
    {
        var file = WriteConf("akkakv.cluster.rejoin-when-downed = off\nakkakv.actor.seed = 42");
        var error = Assert.Throws<ConfigurationErrorsException>(() => RetiredSettings.Refuse(Build(file)));
        Assert.Equal(2, error.Errors.Count);
        Assert.Contains(error.Errors, e => e.StartsWith($"akkakv.cluster.rejoin-when-downed = 'off' ({file}:1:", StringComparison.Ordinal) && e.Contains("exit code 5", StringComparison.Ordinal));
        Assert.Contains(error.Errors, e => e.StartsWith($"akkakv.actor.seed = '42' ({file}:2:", StringComparison.Ordinal));
    }

    [Fact]
    public void The_reference_configuration_sets_no_retired_setting()
    {
        RetiredSettings.Refuse(Build());
        Assert.All(RetiredSettings.All.Keys, key => Assert.Null(Build()[key]));
    }

    [Fact]
    public void A_bad_duration_from_the_environment_names_the_variable()
    {
        var environment = new Dictionary<string, string?> { ["AKKAKV__ACTOR__ASK_TIMEOUT"] = "5 fortnights" };
        var error = Assert.Throws<ConfigurationErrorsException>(() => OptionsBinding.Bind<ActorOptions>(Build(environment: environment), ActorOptions.Section));
        Assert.Contains("akkakv.actor.ask-timeout = '5 fortnights' (environment variable AKKAKV__ACTOR__ASK_TIMEOUT): cannot be read", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Every_invalid_setting_is_reported_at_once()
    {
        var configuration = Build(sets: ["akkakv.node.name=bad name!", "akkakv.node.data-dir="]);
        var error = Assert.Throws<ConfigurationErrorsException>(() => OptionsBinding.Bind<NodeOptions>(configuration, NodeOptions.Section));
        Assert.Equal(2, error.Errors.Count);
        Assert.Contains(error.Errors, e => e.StartsWith("akkakv.node.name = 'bad name!' (--set #1): must be 1-63 letters", StringComparison.Ordinal));
        Assert.Contains(error.Errors, e => e.StartsWith("akkakv.node.data-dir = '' (--set #2):", StringComparison.Ordinal));
    }

    [Fact]
    public void Sizes_bind_with_units_and_cross_field_limits_name_the_setting()
    {
        var http = OptionsBinding.Bind<HttpOptions>(Build(sets: ["akkakv.http.max-value-size=256KiB"]), HttpOptions.Section);
        Assert.Equal(256 * 1024, http.MaxValueSize.Bytes);
        var error = Assert.Throws<ConfigurationErrorsException>(() => OptionsBinding.Bind<HttpOptions>(Build(sets: ["akkakv.http.max-value-size=1GiB"]), HttpOptions.Section));
        Assert.Equal("akkakv.http.max-value-size = '1GiB' (--set #1): must be between 1B and 16MiB", Assert.Single(error.Errors));
    }

    [Fact]
    public void A_missing_config_file_is_a_clear_error()
    {
        var missing = Path.Combine(_directory, "nope.conf");
        var error = Assert.Throws<FileNotFoundException>(() => Build(missing));
        Assert.Contains(missing, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_malformed_config_file_fails_with_its_position()
    {
        var file = WriteConf("akkakv {\n  http.port = \"8080\n}");
        var error = Assert.Throws<Hocon.HoconException>(() => Build(file));
        Assert.StartsWith($"{file}:2:15: unterminated quoted string", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Config_files_can_include_others_and_refer_to_reference_settings()
    {
        WriteConf("akkakv.http.port = 9000", "common.conf");
        var file = WriteConf("include \"common.conf\"\nakkakv.node.name = node-${akkakv.http.port}");
        Assert.Equal("node-9000", OptionsBinding.Bind<NodeOptions>(Build(file), NodeOptions.Section).Name);
    }
}
