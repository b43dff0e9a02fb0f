#!/bin/sh
# `cmake --install` into a temporary prefix gives headers, libvirtkit.so,
# libvirtd, virsh and a relocatable virtkit.pc with which a C client builds
# (cc + pkg-config) and runs.
#   install_test.sh BUILD_DIR SOURCE_DIR
set -eu
build=$1
src=$2
prefix=$(mktemp -d /tmp/virtkit-install.XXXXXX)
trap 'rm -rf "$prefix"' EXIT
cmake --install "$build" --prefix "$prefix" >/dev/null
for f in include/libvirt/libvirt.h include/libvirt/virterror.h bin/virsh sbin/libvirtd; do
  [ -e "$prefix/$f" ] || { echo "missing after install: $f"; exit 1; }
done
pc=$(dirname "$(find "$prefix" -name virtkit.pc)")
flags=$(PKG_CONFIG_PATH=$pc pkg-config --cflags --libs virtkit)
cc "$src/tests/c_program/seed_api.c" $flags -o "$prefix/seed_api"
LD_LIBRARY_PATH=$(dirname "$(find "$prefix" -name libvirtkit.so.0)") "$prefix/seed_api" 2>/dev/null | tail -n 1 | grep -qx OK
echo "installed tree builds and runs a client: OK"
