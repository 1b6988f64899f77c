; Inno Setup script: a Windows installer from the PyInstaller folder.
;
;   uv run pyinstaller --noconfirm packaging\volunteerdesk.spec
;   iscc /DAppVersion=0.1.0 packaging\windows\volunteerdesk.iss
;
; Installs for the current user by default (no administrator rights needed), with a
; Start menu entry and an optional desktop icon. The data folder is never removed.

#ifndef AppVersion
  #define AppVersion "0.1.0"
#endif
#define AppName "VolunteerDesk"
#define Dist "..\..\dist\VolunteerDesk"

[Setup]
AppId={{6D0E7D4C-3B1A-4F0B-9C7E-1B2F3A4D5E60}
AppName={#AppName}
AppVersion={#AppVersion}
AppPublisher=VolunteerDesk
DefaultDirName={autopf}\{#AppName}
DefaultGroupName={#AppName}
DisableProgramGroupPage=yes
PrivilegesRequired=lowest
PrivilegesRequiredOverridesAllowed=dialog
OutputDir=..\..\dist
OutputBaseFilename=VolunteerDesk-{#AppVersion}-setup
SetupIconFile=..\..\resources\icons\volunteerdesk.ico
UninstallDisplayIcon={app}\volunteerdesk.exe
Compression=lzma2
SolidCompression=yes
WizardStyle=modern
ArchitecturesInstallIn64BitMode=x64compatible

[Languages]
Name: "english"; MessagesFile: "compiler:Default.isl"

[Tasks]
Name: "desktopicon"; Description: "{cm:CreateDesktopIcon}"; GroupDescription: "{cm:AdditionalIcons}"; Flags: unchecked

[Files]
Source: "{#Dist}\*"; DestDir: "{app}"; Flags: ignoreversion recursesubdirs createallsubdirs

[Icons]
Name: "{group}\{#AppName}"; Filename: "{app}\volunteerdesk.exe"
Name: "{group}\Uninstall {#AppName}"; Filename: "{uninstallexe}"
Name: "{autodesktop}\{#AppName}"; Filename: "{app}\volunteerdesk.exe"; Tasks: desktopicon

[Run]
Filename: "{app}\volunteerdesk.exe"; Description: "{cm:LaunchProgram,{#AppName}}"; Flags: nowait postinstall skipifsilent
