"""QtGui for cm-console: PyInstaller's own hook, minus plugins a desktop app never loads.

Dropped before binary analysis, so their dependencies stay out too: the GTK 3 platform theme
(it drags in the build machine's GTK, cairo and pango; the console draws its own palette with
Fusion and reads dark mode through the XDG desktop portal theme, which stays), and the embedded
platforms (EGLFS, linuxfb, VNC, Vulkan display) with their device integrations and evdev input.
"""

from PyInstaller.utils.hooks.qt import add_qt6_dependencies

DROPPED = (
    "plugins/platformthemes/libqgtk3",
    "plugins/egldeviceintegrations/",
    "plugins/generic/",
    "plugins/platforms/libqeglfs",
    "plugins/platforms/libqlinuxfb",
    "plugins/platforms/libqminimalegl",
    "plugins/platforms/libqvkkhrdisplay",
    "plugins/platforms/libqvnc",
)


def _wanted(src: str) -> bool:
    path = src.replace("\\", "/")
    return not any(part in path for part in DROPPED)


hiddenimports, binaries, datas = add_qt6_dependencies(__file__)
binaries = [(src, dest) for src, dest in binaries if _wanted(src)]
