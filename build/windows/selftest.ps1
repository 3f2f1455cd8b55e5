# Run a frozen Creator Companion's --self-test on Windows and fail the step when it fails. The app is windowed
# (no console), so its report is read from the log it writes in the data folder.
#   ./build/windows/selftest.ps1 -Exe dist\creator-companion\creator-companion.exe -Data $env:RUNNER_TEMP\data
param(
    [Parameter(Mandatory = $true)] [string] $Exe,
    [Parameter(Mandatory = $true)] [string] $Data,
    [int] $TimeoutSeconds = 180
)
$ErrorActionPreference = "Stop"
$env:QT_QPA_PLATFORM = "offscreen"
$process = Start-Process -FilePath $Exe -ArgumentList "--data-dir", "`"$Data`"", "--self-test" -PassThru
# A windowed PyInstaller app shows a dialog for an unhandled exception: never wait for one forever.
if (-not $process.WaitForExit($TimeoutSeconds * 1000)) {
    $process.Kill()
    throw "the self-test of $Exe did not finish within $TimeoutSeconds s"
}
$log = Join-Path $Data "logs\companion.log"
if (Test-Path $log) { Get-Content $log | Where-Object { $_ -match "self-test" } }
if ($process.ExitCode -ne 0) { throw "the self-test of $Exe failed (exit code $($process.ExitCode))" }
if (-not (Select-String -Path $log -Pattern "keyring: *keyring\.backends\.Windows\." -Quiet)) {
    throw "the frozen app did not use Windows Credential Manager"
}
