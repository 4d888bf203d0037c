#!/usr/bin/env pwsh
# AkkaKv build script (PowerShell twin of build.sh; same targets).
#   ./build.ps1 build | test | run [node args] | simulate [--seeds N | --seed S] | bench [filter] | pack
param(
    [Parameter(Position = 0)][ValidateSet('build', 'test', 'run', 'simulate', 'bench', 'pack')][string]$Target = 'build',
    [Parameter(Position = 1, ValueFromRemainingArguments = $true)][string[]]$Rest = @()
)
$ErrorActionPreference = 'Stop'
Set-Location $PSScriptRoot
$env:DOTNET_CLI_TELEMETRY_OPTOUT = '1'
$env:DOTNET_NOLOGO = '1'
$configuration = if ($env:CONFIGURATION) { $env:CONFIGURATION } else { 'Release' }

function Get-TrxSummary([string]$Directory) {
    $passed = 0; $failed = 0; $skipped = 0
    foreach ($file in Get-ChildItem -Path $Directory -Filter *.trx -ErrorAction SilentlyContinue) {
        $counters = ([xml](Get-Content $file.FullName)).TestRun.ResultSummary.Counters
        $passed += [int]$counters.passed
        $failed += [int]$counters.failed + [int]$counters.error + [int]$counters.timeout + [int]$counters.aborted
        $skipped += [int]$counters.notExecuted
    }
    "$passed passed, $failed failed, $skipped skipped"
}

switch ($Target) {
    'build' { dotnet build AkkaKv.sln -c $configuration -warnaserror @Rest; exit $LASTEXITCODE }
    'test' {
        $results = 'artifacts/test-results'
        Remove-Item -Recurse -Force $results -ErrorAction SilentlyContinue
        dotnet build AkkaKv.sln -c $configuration -warnaserror
        if ($LASTEXITCODE -ne 0) { exit $LASTEXITCODE }
        dotnet test AkkaKv.sln -c $configuration --no-build --logger trx --logger 'console;verbosity=normal' --results-directory $results --blame-hang-timeout 10m @Rest
        $status = $LASTEXITCODE
        Get-TrxSummary $results
        exit $status
    }
    'run' { dotnet run --project src/AkkaKv.Node -c $configuration -- @Rest; exit $LASTEXITCODE }
    'simulate' {
        $seeds = 200
        for ($i = 0; $i -lt $Rest.Count; $i++) {
            if ($Rest[$i] -eq '--seeds') { $seeds = [int]$Rest[$i + 1]; $i++ }
            elseif ($Rest[$i] -eq '--seed') { $env:AKKAKV_SIMULATION_SEED = $Rest[$i + 1]; $i++ }
        }
        $env:AKKAKV_SIMULATION_SEEDS = "$seeds"
        dotnet test tests/AkkaKv.Simulation.Tests -c $configuration --filter 'Category=Simulation' --logger 'console;verbosity=normal'; exit $LASTEXITCODE
    }
    'bench' {
        $filter = if ($Rest.Count -gt 0) { $Rest[0] } else { '*' }
        dotnet run --project bench/AkkaKv.Benchmarks -c Release -- --filter $filter; exit $LASTEXITCODE
    }
    'pack' { dotnet publish src/AkkaKv.Node -c Release -o artifacts/akkakv-node; exit $LASTEXITCODE }
}
