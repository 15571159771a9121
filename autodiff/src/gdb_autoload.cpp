// Puts tapegrad's gdb pretty-printers into the program's .debug_gdb_scripts
// section, so gdb loads them by itself (once the program's folder is in gdb's
// auto-load safe-path). Compiled into the project's own executables only, by
// gdb/autoload.cmake, which also generates the included bytes of gdb/*.py.

namespace {

// gdb's format: one entry per script. Kind 4 is "inline Python": the script's
// name, a newline, its text, then a NUL. `used` keeps it in optimized builds,
// where nothing refers to it.
[[gnu::used, gnu::section(".debug_gdb_scripts")]] const unsigned char tapegrad_gdb_script[] = {
    4,
    // "tapegrad_printers.py\n"
    0x74, 0x61, 0x70, 0x65, 0x67, 0x72, 0x61, 0x64, 0x5f, 0x70, 0x72, 0x69, 0x6e, 0x74, 0x65, 0x72,
    0x73, 0x2e, 0x70, 0x79, 0x0a,
#include "tapegrad_gdb_script.inc"
    0};

} // namespace
