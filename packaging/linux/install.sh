#!/bin/sh
# Install VolunteerDesk for the current user: no administrator rights needed.
# Run it from the unpacked folder:  sh install.sh      (remove with: sh install.sh --remove)
set -eu
here=$(cd "$(dirname "$0")" && pwd)
target="${XDG_DATA_HOME:-$HOME/.local/share}"
app_dir="$HOME/.local/opt/VolunteerDesk"
bin_dir="$HOME/.local/bin"

if [ "${1:-}" = "--remove" ]; then
  rm -rf "$app_dir" "$target/applications/volunteerdesk.desktop" "$bin_dir/volunteerdesk"
  find "$target/icons/hicolor" -name volunteerdesk.png -delete 2>/dev/null || true
  echo "VolunteerDesk is removed. Your data folder is kept."
  exit 0
fi

mkdir -p "$app_dir" "$bin_dir" "$target/applications"
rm -rf "$app_dir"
cp -R "$here/VolunteerDesk" "$app_dir"
ln -sf "$app_dir/volunteerdesk" "$bin_dir/volunteerdesk"
for size in 16 24 32 48 64 128 256 512; do
  icon="$app_dir/_internal/volunteerdesk/resources/icons/volunteerdesk-$size.png"
  [ -f "$icon" ] || continue
  mkdir -p "$target/icons/hicolor/${size}x${size}/apps"
  cp "$icon" "$target/icons/hicolor/${size}x${size}/apps/volunteerdesk.png"
done
sed "s|@EXEC@|$app_dir/volunteerdesk|" "$here/volunteerdesk.desktop" \
  > "$target/applications/volunteerdesk.desktop"
command -v update-desktop-database >/dev/null 2>&1 && update-desktop-database "$target/applications" || true
echo "VolunteerDesk is installed. Start it from your applications menu, or type: volunteerdesk"
