; Inno Setup 6 script: the Windows installer for the one-folder build in build\dist\cm-console.
;
;   iscc packaging\windows\cm-console.iss
;
; Build the app first (packaging\README.md, "Windows"). Nothing here carries a version number:
; it is read from cm-console.exe's version resource, which the PyInstaller spec writes from
; cm_console.__version__. The installer is unsigned unless a sign tool is named on the command
; line (see "Code signing" in packaging\README.md):
;
;   iscc /DSignToolName=cmsign "/Scmsign=signtool.exe sign /fd sha256 /tr <timestamp URL> /td sha256 /a $f" packaging\windows\cm-console.iss

#define Root AddBackslash(SourcePath) + "..\.."
#define AppExe Root + "\build\dist\cm-console\cm-console.exe"
#if !FileExists(AppExe)
  #error build\dist\cm-console\cm-console.exe is missing: build the app with PyInstaller first
#endif
#define AppVersion GetStringFileInfo(AppExe, "ProductVersion")
#define AppVersionNumbers GetVersionNumbersString(AppExe)
#if AppVersion == ""
  #error cm-console.exe has no version resource: was it built with packaging\cm-console.spec?
#endif

[Setup]
; The AppId identifies the installation for upgrades and uninstall: never change it.
AppId={{AC18B666-11E9-4737-A150-7E34932EF8A2}
AppName=cm-console
AppVersion={#AppVersion}
AppVerName=cm-console {#AppVersion}
AppPublisher=cm-console developers
AppPublisherURL=https://cm-console.nl/
AppCopyright=Copyright (C) the cm-console developers. GPL-3.0-or-later.
VersionInfoVersion={#AppVersionNumbers}
VersionInfoProductVersion={#AppVersionNumbers}
VersionInfoDescription=cm-console setup
DefaultDirName={autopf}\cm-console
DefaultGroupName=cm-console
DisableProgramGroupPage=yes
; Per-user by default (no administrator needed); an administrator may choose all users.
PrivilegesRequired=lowest
PrivilegesRequiredOverridesAllowed=dialog
ArchitecturesAllowed=x64compatible
ArchitecturesInstallIn64BitMode=x64compatible
MinVersion=10.0
SetupIconFile={#Root}\build\icons\cm-console.ico
UninstallDisplayIcon={app}\cm-console.exe
UninstallDisplayName=cm-console
WizardStyle=modern
Compression=lzma2/max
SolidCompression=yes
OutputDir={#Root}\build\installer
OutputBaseFilename=cm-console-{#AppVersion}-windows-x64-setup
CloseApplications=yes
#ifdef SignToolName
SignTool={#SignToolName}
SignedUninstaller=yes
#endif

[Languages]
Name: "en"; MessagesFile: "compiler:Default.isl"
Name: "nl"; MessagesFile: "compiler:Languages\Dutch.isl"

[Tasks]
Name: "desktopicon"; Description: "{cm:CreateDesktopIcon}"; GroupDescription: "{cm:AdditionalIcons}"; Flags: unchecked

[Files]
Source: "{#Root}\build\dist\cm-console\*"; DestDir: "{app}"; Flags: ignoreversion recursesubdirs createallsubdirs

[Icons]
Name: "{autoprograms}\cm-console"; Filename: "{app}\cm-console.exe"; Parameters: "gui"
Name: "{autoprograms}\cm-console demo workspace"; Filename: "{app}\cm-console.exe"; Parameters: "demo"
Name: "{autodesktop}\cm-console"; Filename: "{app}\cm-console.exe"; Parameters: "gui"; Tasks: desktopicon

[Run]
Filename: "{app}\cm-console.exe"; Parameters: "gui"; Description: "{cm:LaunchProgram,cm-console}"; Flags: nowait postinstall skipifsilent

; The profile (database, settings, logs in %LOCALAPPDATA%\cm-console) is the user's data and is
; kept on uninstall, as are secrets in the Windows Credential Manager.
