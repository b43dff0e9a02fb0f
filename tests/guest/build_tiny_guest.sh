#!/bin/sh
# Builds the tiny Linux guest used by the QEMU driver's tests:
#   OUTDIR/vmlinuz    Debian's linux-image-cloud-amd64 kernel (copied)
#   OUTDIR/initrd.gz  busybox-static + a few kernel modules + /init
#
# Usage: build_tiny_guest.sh OUTDIR
# Environment: KERNEL (default: the newest /boot/vmlinuz-*-cloud-amd64),
#              BUSYBOX (default: /bin/busybox from busybox-static),
#              EXTRA_MODULES (more kernel modules to load at boot).
#
# Boot it with: -kernel OUTDIR/vmlinuz -initrd OUTDIR/initrd.gz
#   -append 'console=ttyS0 quiet' and a serial port.
# What the guest prints on its console (each on a line of its own):
#   virtkit-guest: ready              init is up; the power button is watched
#   virtkit-guest: poweroff           the ACPI power button was pressed
#                                     (QMP system_powerdown); powering off now
#   virtkit-guest: disk added vdb     a block device appeared (hotplug);
#   virtkit-guest: disk removed vdb   ... and went away
#   virtkit-guest: nic added eth1     a network interface appeared / went away
#   virtkit-guest: nic removed eth1
#   virtkit-guest: tick N             every second, with virtkit.ticks=1 on the
#                                     kernel command line (save/restore tests
#                                     see the count continue)
#   virtkit-guest: panic              with virtkit.panic=N: the guest panics N
#                                     seconds after ready (crash-action tests;
#                                     add -device pvpanic for GUEST_PANICKED)
#   virtkit-guest: dhcp eth0 IP/MASK via ROUTER
#                                     with virtkit.dhcp=1: eth0 got a DHCP lease
#                                     (udhcpc) and was configured with it
#   virtkit-guest: dhcp eth0 failed   ... or got none
#   virtkit-guest: ping ROUTER ok     then the router answered a ping (or
#   virtkit-guest: ping ROUTER failed did not, after 10 tries)
# The outputs are rebuilt only when an input changed (kernel, modules,
# busybox, this script): a stamp file records the inputs.
set -eu
PATH=$PATH:/sbin:/usr/sbin  # modinfo

OUTDIR=${1:?usage: build_tiny_guest.sh OUTDIR}
KERNEL=${KERNEL:-$(ls /boot/vmlinuz-*-cloud-amd64 2>/dev/null | sort -V | tail -n 1)}
BUSYBOX=${BUSYBOX:-/bin/busybox}
[ -n "$KERNEL" ] && [ -r "$KERNEL" ] || {
  echo "build_tiny_guest: no readable kernel /boot/vmlinuz-*-cloud-amd64 (install linux-image-cloud-amd64)" >&2
  exit 1
}
[ -x "$BUSYBOX" ] || {
  echo "build_tiny_guest: no $BUSYBOX (install busybox-static)" >&2
  exit 1
}
command -v cpio >/dev/null || { echo "build_tiny_guest: cpio is not installed" >&2; exit 1; }
KV=${KERNEL#*/vmlinuz-}

# Modules the tests use and, before each, what it depends on. The SCSI/ATA
# stack (ata_piix, sd_mod) is left out by default: it adds about 1.5 s to
# every boot under TCG; add it with EXTRA_MODULES="ata_piix sd_mod".
WANTED="button virtio_pci virtio_blk virtio_net virtio_balloon pvpanic_mmio pvpanic_pci \
${EXTRA_MODULES:-}"
ORDERED=""
add_module() {
  case " $ORDERED " in *" $1 "*) return 0 ;; esac
  deps=$(modinfo -k "$KV" -F depends "$1") || {
    echo "build_tiny_guest: module $1 not found for kernel $KV" >&2
    exit 1
  }
  for d in $(echo "$deps" | tr ',' ' '); do add_module "$d"; done
  ORDERED="$ORDERED $1"
}
for m in $WANTED; do add_module "$m"; done

# The stamp: every input's identity. Same stamp, same outputs.
STAMP=$(
  {
    cat "$0"
    echo "$KERNEL $ORDERED"
    stat -L -c '%n %s %Y' "$KERNEL" "$BUSYBOX"
    for m in $ORDERED; do stat -L -c '%n %s %Y' "$(modinfo -k "$KV" -F filename "$m")"; done
  } | sha256sum | cut -d' ' -f1
)
mkdir -p "$OUTDIR"
if [ -f "$OUTDIR/vmlinuz" ] && [ -f "$OUTDIR/initrd.gz" ] &&
   [ "$(cat "$OUTDIR/stamp" 2>/dev/null)" = "$STAMP" ]; then
  exit 0
fi

WORK=$(mktemp -d "${TMPDIR:-/tmp}/tiny-guest.XXXXXX")
trap 'rm -rf "$WORK"' EXIT
ROOT=$WORK/root
mkdir -p "$ROOT/bin" "$ROOT/sbin" "$ROOT/proc" "$ROOT/sys" "$ROOT/dev" "$ROOT/tmp" \
  "$ROOT/modules"
cp "$BUSYBOX" "$ROOT/bin/busybox"
: > "$ROOT/modules/order"
for m in $ORDERED; do
  f=$(modinfo -k "$KV" -F filename "$m")
  case "$f" in
    *.ko) cp "$f" "$ROOT/modules/$m.ko" ;;
    *.ko.xz) xz -dc "$f" > "$ROOT/modules/$m.ko" ;;
    *.ko.zst) zstd -qdc "$f" > "$ROOT/modules/$m.ko" ;;
    *) echo "build_tiny_guest: unsupported module file $f" >&2; exit 1 ;;
  esac
  echo "$m" >> "$ROOT/modules/order"
done

cat > "$ROOT/init" <<'INIT'
#!/bin/busybox sh
/bin/busybox --install -s /bin
export PATH=/bin:/sbin
mount -t proc proc /proc
mount -t sysfs sysfs /sys
mount -t devtmpfs devtmpfs /dev
for m in $(cat /modules/order); do insmod /modules/$m.ko 2>/dev/null; done
option() { sed -n "s/.*virtkit\.$1=\([^ ]*\).*/\1/p" /proc/cmdline; }

# Hotplug: report block devices and network interfaces coming and going.
list() { ls /sys/block /sys/class/net 2>/dev/null | grep -E '^(vd|sd|sr|eth|ens|enp)' | sort; }
watch_devices() {
  old=$(list)
  while :; do
    sleep 0.2
    new=$(list)
    [ "$new" = "$old" ] && continue
    for d in $new; do
      echo "$old" | grep -qx "$d" || report added "$d"
    done
    for d in $old; do
      echo "$new" | grep -qx "$d" || report removed "$d"
    done
    old=$new
  done
}
report() {
  case "$2" in eth*|en*) kind=nic ;; *) kind=disk ;; esac
  echo "virtkit-guest: $kind $1 $2"
}
watch_devices &

ticks=$(option ticks)
if [ -n "$ticks" ]; then
  (n=0; while :; do sleep 1; n=$((n + 1)); echo "virtkit-guest: tick $n"; done) &
fi
panic=$(option panic)
if [ -n "$panic" ]; then
  (sleep "$panic"; echo "virtkit-guest: panic"; echo c > /proc/sysrq-trigger) &
fi

if [ -n "$(option dhcp)" ]; then
  (
    cat > /tmp/udhcpc.sh <<'SCRIPT'
#!/bin/sh
[ "$1" = bound ] || exit 0
ip addr add "$ip/$mask" dev "$interface"
[ -n "$router" ] && ip route add default via "$router"
echo "$ip/$mask $router" > /tmp/lease
SCRIPT
    chmod 755 /tmp/udhcpc.sh
    ip link set lo up
    ip link set eth0 up
    if udhcpc -i eth0 -q -n -t 30 -T 1 -s /tmp/udhcpc.sh >/dev/null 2>&1 && [ -f /tmp/lease ]; then
      set -- $(cat /tmp/lease)
      echo "virtkit-guest: dhcp eth0 $1 via $2"
      result=failed
      for _ in 1 2 3 4 5 6 7 8 9 10; do
        if ping -c 1 -W 1 "$2" >/dev/null 2>&1; then result=ok; break; fi
      done
      echo "virtkit-guest: ping $2 $result"
    else
      echo "virtkit-guest: dhcp eth0 failed"
    fi
  ) &
fi

button=/sys/firmware/acpi/interrupts/ff_pwr_btn
presses() { set -- $(cat $button 2>/dev/null); echo "${1:-0}"; }
start=$(presses)
echo "virtkit-guest: ready"
while [ "$(presses)" = "$start" ]; do sleep 0.1; done
echo "virtkit-guest: poweroff"
poweroff -f
INIT
chmod 755 "$ROOT/init"

(cd "$ROOT" && find . | cpio -o -H newc --quiet | gzip -1) > "$WORK/initrd.gz"
cp "$KERNEL" "$WORK/vmlinuz"
mv "$WORK/initrd.gz" "$OUTDIR/initrd.gz"
mv "$WORK/vmlinuz" "$OUTDIR/vmlinuz"
echo "$STAMP" > "$OUTDIR/stamp"
