#!/usr/bin/env bash
# virtkit's main job.
#  1. virtkit's virsh shows a hypervisor node: the built-in test:///default
#     driver (or the URI given as $1 / $LIBVIRT_DEFAULT_URI).
#  2. With QEMU and the tiny guest (build/guest, from the tiny_guest target)
#     present: a session libvirtd of ours under a private temporary root
#     (HOME and XDG_* point there, so nothing on the host is touched) boots
#     the tiny Linux guest, virsh shows it running and its console output,
#     then shuts it down through ACPI and shows it shut off. Without them,
#     step 1 alone, saying why.
# Environment: BUILD_DIR (default build/).
set -euo pipefail
cd "$(dirname "$0")/.."
build=${BUILD_DIR:-build}
uri="${1:-${LIBVIRT_DEFAULT_URI:-test:///default}}"
"$build/bin/virsh" -c "$uri" 'uri; nodeinfo; list --all; dominfo test'

qemu=/usr/bin/qemu-system-x86_64
guest=$(cd "$build" && pwd)/guest
why=""
if [[ ! -x $qemu ]]; then
  why="$qemu is not installed (scripts/install-deps.sh installs qemu-system-x86)"
elif [[ ! -f $guest/vmlinuz || ! -f $guest/initrd.gz ]]; then
  why="no tiny guest in $guest (needs linux-image-cloud-amd64, busybox-static and cpio, then the tiny_guest target)"
elif [[ ! -x $build/bin/libvirtd ]]; then
  why="$build/bin/libvirtd is not built"
fi
if [[ -n $why ]]; then
  echo
  echo "main job: skipping the QEMU guest: $why"
  exit 0
fi

tmp=$(mktemp -d "${TMPDIR:-/tmp}/virtkit-main-job.XXXXXX")
daemon=""
virsh=("$build/bin/virsh")
cleanup() {
  # The guest first (through the daemon, and by its recorded PID if that
  # fails), then the daemon we started, then its private root.
  if [[ -n $daemon ]] && kill -0 "$daemon" 2>/dev/null; then
    "${virsh[@]}" destroy tiny >/dev/null 2>&1 || true
    kill "$daemon" 2>/dev/null || true
    wait "$daemon" 2>/dev/null || true
  fi
  if [[ -n ${guest_pid:-} ]] && kill -0 "$guest_pid" 2>/dev/null &&
     tr '\0' ' ' < "/proc/$guest_pid/cmdline" | grep -qF "$tmp"; then
    kill -9 "$guest_pid" 2>/dev/null || true
  fi
  rm -rf "$tmp"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

mkdir -p "$tmp/home" "$tmp/run" && chmod 700 "$tmp/run"
env HOME="$tmp/home" XDG_RUNTIME_DIR="$tmp/run" XDG_CONFIG_HOME="$tmp/home/.config" \
  XDG_CACHE_HOME="$tmp/home/.cache" XDG_DATA_HOME="$tmp/home/.local/share" \
  "$build/bin/libvirtd" --session --timeout 60 >"$tmp/libvirtd.log" 2>&1 &
daemon=$!
socket=$tmp/run/libvirt/libvirt-sock
for _ in $(seq 100); do
  [[ -S $socket ]] && break
  kill -0 "$daemon" 2>/dev/null || { cat "$tmp/libvirtd.log"; echo "main job: libvirtd failed" >&2; exit 1; }
  sleep 0.05
done
[[ -S $socket ]] || { echo "main job: libvirtd did not create $socket" >&2; exit 1; }
virsh=("$build/bin/virsh" -c "qemu:///session?socket=$socket")

# TCG (software emulation) by default: on this kind of machine /dev/kvm may
# exist yet not run guests (nested virtualization without the CPU features
# QEMU's default model asks for), while TCG boots the guest in about 5 s.
# MAIN_JOB_KVM=1 asks for KVM when this user may open /dev/kvm.
type=qemu
[[ ${MAIN_JOB_KVM:-0} = 1 && -r /dev/kvm && -w /dev/kvm ]] && type=kvm
console=$tmp/console.log
cat >"$tmp/tiny.xml" <<EOF
<domain type='$type'>
  <name>tiny</name>
  <memory unit='MiB'>128</memory>
  <vcpu>1</vcpu>
  <os>
    <type arch='x86_64' machine='pc'>hvm</type>
    <kernel>$guest/vmlinuz</kernel>
    <initrd>$guest/initrd.gz</initrd>
    <cmdline>console=ttyS0 quiet</cmdline>
  </os>
  <features><acpi/></features>
  <devices>
    <emulator>$qemu</emulator>
    <serial type='file'><source path='$console'/><target port='0'/></serial>
  </devices>
</domain>
EOF

echo
echo "== a session libvirtd under $tmp boots the tiny guest ($type) =="
"${virsh[@]}" "uri; define $tmp/tiny.xml; start tiny; list --all; dominfo tiny"
# QEMU's PID, for the clean-up should the daemon fail us ("[g]" keeps grep
# from matching its own command line).
guest_pid=$(grep -l -e "path=${console%g}[g]" /proc/[0-9]*/cmdline 2>/dev/null |
  head -n 1 | cut -d/ -f3 || true)

echo
echo "== the guest's console ($console) =="
marker="virtkit-guest: ready"
for _ in $(seq 200); do
  grep -qF "$marker" "$console" 2>/dev/null && break
  sleep 0.1
done
if ! grep -qF "$marker" "$console" 2>/dev/null; then
  cat "$console" 2>/dev/null || true
  find "$tmp/home" -name 'tiny.log' -exec tail -n 20 {} + 2>/dev/null || true
  echo "main job: the guest did not print '$marker' within 20 s" >&2
  exit 1
fi
sed -n "1,/$marker/p" "$console" | tr -d '\r'

echo
echo "== graceful shutdown (ACPI power button) =="
"${virsh[@]}" shutdown tiny
state=""
for _ in $(seq 100); do
  state=$("${virsh[@]}" domstate tiny | head -n 1)
  [[ $state == "shut off" ]] && break
  sleep 0.1
done
"${virsh[@]}" 'list --all; domstate tiny --reason'
grep -F "virtkit-guest: poweroff" "$console" | tr -d '\r' || true
[[ $state == "shut off" ]] || { echo "main job: the guest did not shut off within 10 s" >&2; exit 1; }
"${virsh[@]}" undefine tiny
