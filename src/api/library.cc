// libvirtkit.so is virtkit_internal linked whole (see src/CMakeLists.txt);
// this file only names the build in the binary for `strings`/`ident`.
extern "C" const char virtkit_ident[] __attribute__((used)) = "virtkit " VIRTKIT_VERSION;
