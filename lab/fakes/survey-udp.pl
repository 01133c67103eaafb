#!/usr/bin/perl
# survey-udp.pl: UDP services for the survey servers of the lab (issue 10)
# that no Debian daemon offers inside a namespace. Core Perl only
# (perl-base: Socket, POSIX).
#
# Usage: survey-udp.pl --pidfile FILE KIND=ADDR...
#   --pidfile FILE  written once every socket is bound (lab/up waits for the
#                   sockets, lab/down signals this pid)
#   KIND=ADDR       a socket and what it answers (IPv6 addresses as they are,
#                   without brackets):
#     ntp      UDP 123: an NTP server answering NTP control (mode 6)
#              queries from anyone: READVAR (opcode 2) of the system
#              variables (association 0) gets one response with the usual
#              variable list (version="ntpd 4.2.8p15@1.3728-o ...", stratum,
#              refid, clock, ...), as ntpq -c rv shows. Nothing else is
#              answered. (ntpsec's ntpd, Debian 12, receives mode 6 queries
#              in this lab's sandbox but never answers, whatever its
#              restrictions: docs/lab.md "Survey servers".)
#     monlist  UDP 123: an NTP server that still has mode 7 (ntpd before
#              4.2.7p26): a MON_GETLIST_1 request (mode 7, implementation
#              3 or 2, request code 42) gets one response packet with
#              three 72-byte info_monitor_1 entries (documentation
#              addresses). Nothing else is answered (no mode 6, no time).
#     ssdp     UDP 1900: a UPnP device answering unicast M-SEARCH: a
#              datagram starting "M-SEARCH * HTTP/1.1" gets "HTTP/1.1 200
#              OK" with SERVER, LOCATION, ST (the request's, or
#              upnp:rootdevice) and USN headers; "ssdp:all" gets three
#              answers (root device, device type, service type), as
#              miniupnpd sends. Nothing else is answered.
# SIGTERM stops it. One log line per datagram on standard error.
use strict;
use warnings;
use Socket qw(:DEFAULT inet_pton inet_ntop AF_INET6 pack_sockaddr_in6
  unpack_sockaddr_in6 sockaddr_family);
use POSIX ();

my %PORT = (ntp => 123, monlist => 123, ssdp => 1900);

my ($pidfile, @specs);
while (@ARGV) {
	my $a = shift @ARGV;
	if ($a eq '--pidfile') { $pidfile = shift @ARGV }
	elsif ($a =~ /^(ntp|monlist|ssdp)=\[?([0-9A-Fa-f:.]+)\]?$/) { push @specs, [$1, $2] }
	else { die "survey-udp: bad argument '$a'\n" }
}
die "usage: survey-udp.pl --pidfile FILE KIND=ADDR...\n" unless $pidfile && @specs;

sub logmsg {
	my $t = POSIX::strftime('%Y-%m-%dT%H:%M:%SZ', gmtime);
	print STDERR "$t survey-udp[$$]: @_\n";
}

# --- sockets ---

my @socks;    # [socket, kind, address]
for my $s (@specs) {
	my ($kind, $addr) = @$s;
	my ($fh, $sa);
	if ($addr =~ /:/) {
		my $bin = inet_pton(AF_INET6, $addr) or die "survey-udp: bad address $addr\n";
		socket($fh, AF_INET6, SOCK_DGRAM, 0) or die "survey-udp: socket: $!\n";
		$sa = pack_sockaddr_in6($PORT{$kind}, $bin);
	}
	else {
		my $bin = inet_aton($addr) or die "survey-udp: bad address $addr\n";
		socket($fh, AF_INET, SOCK_DGRAM, 0) or die "survey-udp: socket: $!\n";
		$sa = pack_sockaddr_in($PORT{$kind}, $bin);
	}
	bind($fh, $sa) or die "survey-udp: bind $addr port $PORT{$kind}: $!\n";
	push @socks, [$fh, $kind, $addr];
}

sub peer_text {
	my $sa = shift;
	if (sockaddr_family($sa) == AF_INET6) {
		my ($port, $a) = unpack_sockaddr_in6($sa);
		return '[' . inet_ntop(AF_INET6, $a) . "]:$port";
	}
	my ($port, $a) = unpack_sockaddr_in($sa);
	return inet_ntoa($a) . ":$port";
}

# --- NTP mode 7 monlist ---

# One info_monitor_1 entry (ntp_request.h): avg_int, last_int, restr,
# count, addr, daddr, flags (u32 each), port (u16), mode, version (u8),
# v6_flag, unused1 (u32), addr6, daddr6 (16 bytes each): 72 bytes.
sub monitor_entry {
	my ($addr, $daddr, $count, $avg, $last, $port, $mode, $version) = @_;
	return pack('N N N N a4 a4 N n C C N N a16 a16',
		$avg, $last, 0, $count, inet_aton($addr), inet_aton($daddr), 0,
		$port, $mode, $version, 0, 0, "\0" x 16, "\0" x 16);
}

sub monlist_answer {
	my ($req, $self) = @_;
	return undef if length($req) < 8;
	my ($vnmode, $seq, $impl, $code) = unpack('C4', $req);
	my $mode = $vnmode & 7;
	my $vn = ($vnmode >> 3) & 7;
	return undef unless $mode == 7 && ($vnmode & 0x80) == 0;
	return undef unless ($impl == 3 || $impl == 2) && $code == 42;
	$self = '0.0.0.0' if $self =~ /:/;    # an IPv4 field
	my @entries = (
		monitor_entry('198.51.100.100', $self, 41, 64, 3, 123, 3, 4),
		monitor_entry('203.0.113.7', $self, 1093, 16, 12, 51234, 7, 2),
		monitor_entry('198.51.100.77', $self, 7, 1024, 300, 123, 4, 4),
	);
	my $n = scalar @entries;
	# Response bit, no "more" bit, the request's version, mode 7;
	# sequence 0; the request's implementation and code; err 0 and the
	# number of items; item size 72.
	return pack('C C C C n n', 0x80 | ($vn << 3) | 7, 0, $impl, $code, $n & 0x0FFF, 72)
	  . join('', @entries);
}

# --- NTP mode 6 READVAR ---

sub readvar_answer {
	my ($req) = @_;
	return undef if length($req) < 12;
	my ($vnmode, $rop, $seq, $status, $assoc, $offset, $count) = unpack('C C n n n n n', $req);
	return undef unless ($vnmode & 7) == 6 && ($rop & 0x80) == 0 && ($rop & 0x1F) == 2;
	return undef unless $assoc == 0;
	my $vn = ($vnmode >> 3) & 7;
	my $ntpnow = (time + 2208988800) % 2**32;    # NTP era 0 seconds
	my $data = join(",\r\n",
		'version="ntpd 4.2.8p15@1.3728-o Wed Sep 23 11:46:38 UTC 2020 (1)"',
		'processor="x86_64", system="Linux/5.10.0-28-amd64", leap=00, stratum=2',
		'precision=-23, rootdelay=1.234, rootdisp=10.567, refid=198.51.100.1',
		sprintf('reftime=0x%08x.12345678, clock=0x%08x.9abcdef0', $ntpnow - 17, $ntpnow),
		'peer=12345, tc=10, mintc=3, offset=0.012345, frequency=-12.345',
		'sys_jitter=0.123456, clk_jitter=0.045, clk_wander=0.002') . "\r\n";
	my $len = length $data;
	$data .= "\0" x ((4 - $len % 4) % 4);    # padded; the count excludes it
	# Response bit, no error, no "more" bit, opcode 2; the request's
	# sequence; system status 0x0615; association 0; offset 0.
	return pack('C C n n n n n', ($vn << 3) | 6, 0x80 | 2, $seq, 0x0615, 0, 0,
		$len) . $data;
}

# --- SSDP ---

sub ssdp_answers {
	my ($req, $self) = @_;
	return () unless $req =~ /\AM-SEARCH \* HTTP\/1\.1\r?\n/;
	my ($st) = $req =~ /^ST:[ \t]*([^\r\n]*)/mi;
	$st = 'upnp:rootdevice' unless defined $st && length $st;
	$st =~ s/[^\x21-\x7e]//g;
	my $host = $self =~ /:/ ? "[$self]" : $self;
	my $uuid = 'uuid:5e1f0a6c-2d4b-4c3a-9b1e-0000000000' . sprintf('%02x', length($self));
	my @sts = $st eq 'ssdp:all'
	  ? ('upnp:rootdevice', 'urn:schemas-upnp-org:device:InternetGatewayDevice:1',
		'urn:schemas-upnp-org:service:WANIPConnection:1')
	  : ($st);
	my $date = POSIX::strftime('%a, %d %b %Y %H:%M:%S GMT', gmtime);
	return map {
		my $usn = $_ =~ /^uuid:/ ? $_ : "$uuid\::$_";
		"HTTP/1.1 200 OK\r\n"
		  . "CACHE-CONTROL: max-age=120\r\n"
		  . "DATE: $date\r\n"
		  . "ST: $_\r\n"
		  . "USN: $usn\r\n"
		  . "EXT:\r\n"
		  . "SERVER: Debian/12 UPnP/1.1 MiniUPnPd/2.3.1\r\n"
		  . "LOCATION: http://$host:5000/rootDesc.xml\r\n"
		  . "OPT: \"http://schemas.upnp.org/upnp/1/0/\"; ns=01\r\n"
		  . "01-NLS: 1\r\n"
		  . "BOOTID.UPNP.ORG: 1\r\n"
		  . "CONFIGID.UPNP.ORG: 1337\r\n"
		  . "\r\n"
	} @sts;
}

# --- main loop ---

$SIG{PIPE} = 'IGNORE';
my $stopping = 0;
$SIG{TERM} = $SIG{INT} = sub { $stopping = 1 };

{
	my $tmp = "$pidfile.$$";
	open(my $fh, '>', $tmp) or die "survey-udp: $tmp: $!\n";
	print $fh "$$\n";
	close $fh;
	rename($tmp, $pidfile) or die "survey-udp: $pidfile: $!\n";
}
logmsg('listening: ' . join(' ', map { "$_->[1]=$_->[2]" } @socks));

while (!$stopping) {
	my $rin = '';
	vec($rin, fileno($_->[0]), 1) = 1 for @socks;
	my $n = select(my $rout = $rin, undef, undef, 1);
	next if !defined $n || $n <= 0;
	for my $s (@socks) {
		my ($fh, $kind, $self) = @$s;
		next unless vec($rout, fileno($fh), 1);
		my $peer = recv($fh, my $req, 2048, 0);
		next unless defined $peer && length $peer;
		my @out;
		if ($kind eq 'ntp') {
			my $a = readvar_answer($req);
			@out = ($a) if defined $a;
		}
		elsif ($kind eq 'monlist') {
			my $a = monlist_answer($req, $self);
			@out = ($a) if defined $a;
		}
		else { @out = ssdp_answers($req, $self) }
		send($fh, $_, 0, $peer) for @out;
		my $sent = 0;
		$sent += length for @out;
		logmsg(sprintf('%s %s: %d bytes in, %d answer(s), %d bytes out',
			$kind, peer_text($peer), length $req, scalar @out, $sent));
	}
}
logmsg('stopping');
exit 0;
