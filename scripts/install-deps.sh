#!/usr/bin/env bash
# Installs what virtkit needs on Debian 12, calling apt-get only for packages
# that are missing, so running it again is quick and changes nothing.
#
#   scripts/install-deps.sh          build and run
#   scripts/install-deps.sh --test   also the test suite's peers (libvirt 9.0
#                                    clients, daemon, Python binding, headers)
set -euo pipefail

build_pkgs=(g++ cmake ninja-build pkg-config libxml2-dev libgtest-dev libreadline-dev python3
            nlohmann-json3-dev libgnutls28-dev
            libmnl-dev libnftables-dev)
# libvirtd's QEMU driver runs guests with Debian's QEMU; the main job boots a
# tiny guest: the cloud kernel and a busybox initramfs packed with cpio.
# Virtual networks: dnsmasq serves DHCP/DNS on each bridge; the nftables
# tools let an admin read our tables (the daemon itself uses libnftables);
# iproute2 for looking at bridges and taps (and for the tests).
run_pkgs=(qemu-system-x86 qemu-utils linux-image-cloud-amd64 busybox-static cpio
          dnsmasq-base nftables iproute2)
# The test suite compares virtkit with the real libvirt 9.0 (never linked
# into the product): its API description and schemas, virsh and Python.
# The TLS tests make their certificates with GnuTLS's certtool.
# The storage tests make ext4 images for fs pools (e2fsprogs).
# virt-install (virtinst) defines and boots guests through our daemon.
test_pkgs=(libvirt-dev libvirt-clients libvirt-daemon libvirt-daemon-driver-qemu python3-libvirt
           libxml2-utils gnutls-bin libsys-virt-perl e2fsprogs virtinst)

want=("${build_pkgs[@]}" "${run_pkgs[@]}")
if [[ "${1:-}" == "--test" ]]; then
  want+=("${test_pkgs[@]}")
fi

missing=()
for p in "${want[@]}"; do
  if ! dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q '^install ok installed$'; then
    missing+=("$p")
  fi
done

if ((${#missing[@]} == 0)); then
  echo "install-deps: all ${#want[@]} packages present"
  exit 0
fi

sudo=""
if [[ $(id -u) -ne 0 ]]; then sudo="sudo"; fi
echo "install-deps: installing ${missing[*]}"
export DEBIAN_FRONTEND=noninteractive
$sudo apt-get update -q
$sudo apt-get install -y -q --no-install-recommends "${missing[@]}"
