#!/usr/bin/perl
# Scenarios run by Debian's Sys::Virt (libsys-virt-perl 9.0) on whichever
# libvirt.so.0 the dynamic linker finds; dropin_test.py runs this once on
# libvirt 9.0 and once on virtkit's build/lib and compares the output. One
# line per result; a Sys::Virt::Error prints as "ERR code domain message".
# CPU time is masked. The last line names the libvirt objects mapped.
use strict;
use warnings;
use Sys::Virt;

my $uri = "test:///default";
my $domain_xml = "<domain type='test'><name>dropin</name>"
  . "<uuid>1b6c5f3c-8a0e-4d4b-9c53-2b9a5bb0c0de</uuid>"
  . "<memory unit='KiB'>65536</memory><vcpu>1</vcpu><os><type>hvm</type></os></domain>";

sub fmt {
  my ($v) = @_;
  return "undef" unless defined $v;
  if (ref $v eq "HASH") {
    return "{" . join(", ", map { "$_=" . fmt($v->{$_}) } sort keys %$v) . "}";
  }
  if (ref $v eq "ARRAY") {
    return "[" . join(", ", map { fmt($_) } @$v) . "]";
  }
  return "$v";
}

sub show {
  my ($label, $fn) = @_;
  my @r = eval { $fn->() };
  if ($@) {
    my $e = $@;
    if (ref $e && $e->isa("Sys::Virt::Error")) {
      print "$label: ERR ", $e->code, " ", $e->domain, " ", $e->message, "\n";
    } else {
      chomp $e;
      print "$label: DIED $e\n";
    }
    return undef;
  }
  print "$label: ", fmt(@r == 1 ? $r[0] : \@r), "\n";
  return $r[0];
}

sub info_masked {
  my ($d) = @_;
  my $i = $d->get_info();
  delete $i->{cpuTime};
  return $i;
}

my %scenarios = (
  connect => sub {
    my ($c) = @_;
    show("type", sub { $c->get_type() });
    show("uri", sub { $c->get_uri() });
    show("alive", sub { $c->is_alive() });
    show("nodeinfo", sub { $c->get_node_info() });
    show("maxvcpus", sub { $c->get_max_vcpus() });
  },
  domains => sub {
    my ($c) = @_;
    for my $d (sort { $a->get_name() cmp $b->get_name() } $c->list_all_domains()) {
      show("domain " . $d->get_name(), sub {
        [$d->get_id(), $d->get_uuid_string(), info_masked($d), $d->is_active(),
         $d->is_persistent(), $d->get_os_type()] });
    }
    show("num", sub { $c->num_of_domains() });
    my $d = $c->get_domain_by_name("test");
    show("state", sub { [$d->get_state()] });
    show("xml", sub { $d->get_xml_description() });
    show("nope", sub { $c->get_domain_by_name("nope") });
  },
  lifecycle => sub {
    my ($c) = @_;
    show("define", sub { $c->define_domain($domain_xml)->get_name() });
    my $d = $c->get_domain_by_name("dropin");
    show("create", sub { $d->create(); 1 });
    show("info", sub { info_masked($d) });
    show("suspend", sub { $d->suspend(); 1 });
    show("resume", sub { $d->resume(); 1 });
    show("destroy", sub { $d->destroy(); 1 });
    show("destroy again", sub { $d->destroy(); 1 });
    show("undefine", sub { $d->undefine(); 1 });
    show("bad xml", sub { $c->define_domain("<domain>") });
  },
  readonly => sub {
    my $ro = Sys::Virt->new(uri => $uri, readonly => 1);
    my $d = $ro->get_domain_by_name("test");
    show("ro destroy", sub { $d->destroy(); 1 });
    show("ro define", sub { $ro->define_domain($domain_xml) });
  },
  networks => sub {
    my ($c) = @_;
    show("networks", sub { [map { $_->get_name() } $c->list_all_networks()] });
    my $n = $c->get_network_by_name("default");
    show("net active", sub { $n->is_active() });
    show("net xml", sub { $n->get_xml_description() });
  },
  other_families => sub {
    my ($c) = @_;
    my $d = $c->get_domain_by_name("test");
    show("snapshots", sub { [map { $_->get_name() } $d->list_all_snapshots()] });
    show("nodedevs", sub { [map { $_->get_name() } $c->list_all_node_devices()] });
    show("interfaces", sub { [map { $_->get_name() } $c->list_all_interfaces()] });
    show("secrets", sub { [map { $_->get_uuid_string() } $c->list_all_secrets()] });
  },
);

my @order = qw(connect domains lifecycle readonly networks other_families);
for my $name (@ARGV ? @ARGV : @order) {
  print "== $name\n";
  my $c = Sys::Virt->new(uri => $uri);
  $scenarios{$name}->($c);
}
open(my $maps, "<", "/proc/self/maps") or die;
my %seen;
while (<$maps>) {
  my @f = split;
  $seen{$f[-1]} = 1 if @f >= 6 && $f[-1] =~ m{/} && $f[-1] =~ /libvirt/ && $f[-1] !~ /perl/;
}
print "loaded: ", join(" ", sort keys %seen), "\n";
