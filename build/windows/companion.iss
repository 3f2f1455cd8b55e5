; Creator Companion for Windows: Inno Setup 6 script for the PyInstaller bundle in dist\creator-companion.
; Per-user install (no administrator rights), Start menu entry, optional desktop icon, uninstaller.
;
;   iscc /DAppVersion=<companion.__version__> build\windows\companion.iss
;
; The version has one source, companion/__init__.py: release.yml reads it and passes it here, and the
; installer shows it (wizard title, Apps & features, the setup file's properties).
; Output: dist\CreatorCompanion-<version>-windows-x64-setup.exe

#ifndef AppVersion
  #error Pass the version: iscc /DAppVersion=<companion.__version__> build\windows\companion.iss
#endif
#define AppName "Creator Companion"
#define AppExe "creator-companion.exe"
#define Root AddBackslash(SourcePath) + "..\.."
#define Bundle Root + "\dist\creator-companion"
#if !FileExists(Bundle + "\" + AppExe)
  #error The bundle is missing: build it first with PyInstaller (see build\README.md)
#endif

[Setup]
; Never change AppId: Windows finds the installed copy (for upgrades and the uninstaller) by it.
AppId=io.creatorcompanion.CreatorCompanion
AppName={#AppName}
AppVersion={#AppVersion}
AppVerName={#AppName} {#AppVersion}
AppPublisher=Creator Companion
VersionInfoVersion={#AppVersion}
VersionInfoProductName={#AppName}
VersionInfoProductVersion={#AppVersion}
; Per user: installs into %LOCALAPPDATA%\Programs, shortcuts in the user's Start menu; no UAC prompt.
PrivilegesRequired=lowest
DefaultDirName={autopf}\{#AppName}
DefaultGroupName={#AppName}
DisableProgramGroupPage=yes
ArchitecturesAllowed=x64compatible
ArchitecturesInstallIn64BitMode=x64compatible
OutputDir={#Root}\dist
OutputBaseFilename=CreatorCompanion-{#AppVersion}-windows-x64-setup
SetupIconFile={#Root}\resources\icons\app.ico
UninstallDisplayIcon={app}\{#AppExe}
UninstallDisplayName={#AppName} {#AppVersion}
WizardStyle=modern
Compression=lzma2/max
SolidCompression=yes
; Close a running copy before replacing its files.
CloseApplications=yes

[Languages]
Name: "english"; MessagesFile: "compiler:Default.isl"

[Tasks]
Name: "desktopicon"; Description: "{cm:CreateDesktopIcon}"; GroupDescription: "{cm:AdditionalIcons}"; Flags: unchecked

[Files]
Source: "{#Bundle}\*"; DestDir: "{app}"; Flags: ignoreversion recursesubdirs createallsubdirs

[Icons]
Name: "{autoprograms}\{#AppName}"; Filename: "{app}\{#AppExe}"
Name: "{autodesktop}\{#AppName}"; Filename: "{app}\{#AppExe}"; Tasks: desktopicon

[Run]
Filename: "{app}\{#AppExe}"; Description: "{cm:LaunchProgram,{#AppName}}"; Flags: nowait postinstall skipifsilent

; The uninstaller removes the program folder and the shortcuts. The creator's data (database, backups, logs in
; %LOCALAPPDATA%\CreatorCompanion) and the payment details in Windows Credential Manager stay: they are the
; creator's records, not part of the program.
