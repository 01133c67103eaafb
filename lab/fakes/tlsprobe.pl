#!/usr/bin/perl
# tlsprobe.pl: a raw TLS 1.2 ClientHello and a byte-level account of what the
# server answers, for checking the lab's fake TLS endpoints (faketls.pl) by
# hand, where OpenSSL clients cannot (Debian's OpenSSL has no compression and
# gives up on odd servers at once). Core Perl only. It never completes a
# handshake. Run it in the lab's client namespace:
#
#   lab/exec perl lab/fakes/tlsprobe.pl [OPTIONS] HOST [PORT]
#
#   --deflate    offer compression methods DEFLATE (1) and null (0); default: null only
#   --suites L   offer these suites (comma-separated hex, e.g. 009e,0067) instead
#   --time S     stop reading after S seconds (default 5)
#   --max N      stop after N bytes from the server (default 64 MiB)
# Offers TLS 1.2 only: by default ECDHE-RSA/ECDSA AES-GCM and CHACHA20,
# ECDHE-RSA CBC, DHE-RSA AES-GCM and CBC, static RSA AES-GCM and CBC, and
# TLS_EMPTY_RENEGOTIATION_INFO_SCSV; SNI HOST, x25519/P-256/P-384, SHA-2 and
# SHA-1 signature algorithms, extended master secret. Prints the ServerHello
# (version, suite, compression, extensions), every handshake message header,
# the group of an ECDHE ServerKeyExchange or the prime and generator of a DHE
# one, every alert, and a summary line (it stops at a ServerHelloDone or a
# fatal alert):
#   summary: BYTES bytes, RECORDS records, messages TYPES, end REASON, S s
use strict;
use warnings;
use Socket qw(:DEFAULT);
use POSIX ();
# Sub-second times when Time::HiRes is there (package perl; perl-base lacks it).
BEGIN { eval { require Time::HiRes; Time::HiRes->import('time'); 1 } }

my ($deflate, $limit, $max, $suite_list) = (0, 5, 64 << 20, '');
while (@ARGV && $ARGV[0] =~ /^--/) {
	my $o = shift @ARGV;
	if ($o eq '--deflate') { $deflate = 1 }
	elsif ($o eq '--suites') { $suite_list = shift @ARGV }
	elsif ($o eq '--time') { $limit = shift @ARGV }
	elsif ($o eq '--max') { $max = shift @ARGV }
	else { die "tlsprobe: unknown option $o\n" }
}
my ($host, $port) = @ARGV;
die "usage: tlsprobe.pl [--deflate] [--suites HEX,...] [--time S] [--max BYTES] HOST [PORT]\n" unless $host;
$port ||= 443;
$SIG{PIPE} = 'IGNORE';

sub u24 { substr(pack('N', $_[0]), 1) }
sub ext { pack('n n', $_[0], length $_[1]) . $_[1] }

my @suites = (0xC02F, 0xC030, 0xC02B, 0xC02C, 0xCCA8, 0xCCA9, 0xC013, 0xC014, 0x009E, 0x009F,
	0x0033, 0x0039, 0x009C, 0x009D, 0x002F, 0x0035, 0x00FF);
@suites = map { hex } split /,/, $suite_list if $suite_list;
my $chosen;    # the suite of the ServerHello
my $name = ($host =~ /^[0-9.]+$/) ? '' : $host;
my $exts = '';
$exts .= ext(0x0000, pack('n', length($name) + 3) . pack('C n', 0, length $name) . $name) if $name;
$exts .= ext(0x000A, pack('n n n n', 6, 0x001D, 0x0017, 0x0018));
$exts .= ext(0x000B, pack('C C', 1, 0));
my @sig = (0x0403, 0x0503, 0x0804, 0x0805, 0x0401, 0x0501, 0x0203, 0x0201);
$exts .= ext(0x000D, pack('n n*', 2 * @sig, @sig));
$exts .= ext(0x0017, '');
my @comps = $deflate ? (1, 0) : (0);
my $body = pack('n', 0x0303) . join('', map { chr(int(rand(256))) } 1 .. 32) . pack('C', 0)
  . pack('n n*', 2 * @suites, @suites) . pack('C C*', scalar @comps, @comps)
  . pack('n', length $exts) . $exts;
my $hello = pack('C', 1) . u24(length $body) . $body;

my $ip = inet_aton($host) or die "tlsprobe: cannot resolve $host\n";
socket(my $s, PF_INET, SOCK_STREAM, 0) or die "tlsprobe: socket: $!\n";
connect($s, sockaddr_in($port, $ip)) or die "tlsprobe: connect $host:$port: $!\n";
my $t0 = time();
syswrite($s, pack('C n n', 22, 0x0301, length $hello) . $hello);
printf "sent ClientHello to %s:%d (compression offered: %s)\n", $host, $port,
  $deflate ? 'DEFLATE, null' : 'null';

my %names = (0 => 'HelloRequest', 2 => 'ServerHello', 4 => 'NewSessionTicket', 11 => 'Certificate',
	12 => 'ServerKeyExchange', 13 => 'CertificateRequest', 14 => 'ServerHelloDone',
	22 => 'CertificateStatus');
my ($bytes, $records, $buf, $hs, $skip, $reason) = (0, 0, '', '', 0, '');
my %count;
my $deadline = time() + $limit;
READ: while (1) {
	my $left = $deadline - time();
	if ($left <= 0) { $reason = 'time limit'; last }
	my $rin = '';
	vec($rin, fileno($s), 1) = 1;
	if (select(my $rout = $rin, undef, undef, $left) <= 0) { $reason = 'time limit'; last }
	my $n = sysread($s, my $chunk, 65536);
	if (!$n) { $reason = defined $n ? 'server closed' : "error: $!"; last }
	$bytes += $n;
	$buf .= $chunk;
	while (length $buf >= 5) {
		my ($type, $ver, $len) = unpack('C n n', $buf);
		if ($records == 0 || $len > 18432) {
			printf "record header: type %d version %04x length %d%s\n", $type, $ver, $len,
			  $len > 18432 ? ' (over the 2^14 + 2048 limit)' : '';
		}
		last if length $buf < 5 + $len;
		my $frag = substr($buf, 5, $len);
		substr($buf, 0, 5 + $len, '');
		$records++;
		if ($type == 21) {
			my ($lvl, $desc) = unpack('C C', $frag);
			print "alert: level $lvl description $desc\n";
			$count{alert}++;
			if ($lvl == 2) { $reason = 'fatal alert'; last READ }
			next;
		}
		next unless $type == 22;
		$hs .= $frag;
		while (length $hs) {
			if ($skip) {
				my $k = $skip < length $hs ? $skip : length $hs;
				substr($hs, 0, $k, '');
				$skip -= $k;
				next;
			}
			last if length $hs < 4;
			my ($t, $l) = (ord($hs), unpack('N', "\0" . substr($hs, 1, 3)));
			my $nm = $names{$t} // "type $t";
			$count{$nm}++;
			if ($t == 2) {
				last if length $hs < 4 + $l;
				server_hello(substr($hs, 4, $l));
			}
			elsif ($t == 12 && $l < 4096) {
				last if length $hs < 4 + $l;
				print "handshake: ServerKeyExchange, length $l\n";
				server_key_exchange(substr($hs, 4, $l));
			}
			elsif ($count{$nm} <= 3) {
				print "handshake: $nm, announced length $l\n";
			}
			elsif ($count{$nm} == 4) {
				print "handshake: more $nm messages (counted, not shown)\n";
			}
			substr($hs, 0, 4, '');
			$skip = $l;
			if ($t == 14) { $reason = 'ServerHelloDone'; last READ }
		}
	}
	if ($bytes >= $max) { $reason = 'byte limit'; last }
}
close $s;
printf "summary: %d bytes, %d records, messages %s, end %s, %.2f s\n", $bytes, $records,
  join(',', map { "$_=$count{$_}" } sort keys %count) || 'none', $reason, time() - $t0;

sub server_hello {
	my $b = shift;
	my $p = 34;
	my $sid = ord substr($b, $p, 1);
	$p += 1 + $sid;
	my ($suite, $comp) = unpack('n C', substr($b, $p, 3));
	$p += 3;
	my @e;
	if ($p + 2 <= length $b) {
		my $end = $p + 2 + unpack('n', substr($b, $p, 2));
		$p += 2;
		while ($p + 4 <= $end) {
			my ($t, $l) = unpack('n n', substr($b, $p, 4));
			push @e, sprintf('%04x', $t);
			$p += 4 + $l;
		}
	}
	printf "handshake: ServerHello, version %04x, suite %04x, compression %d, extensions %s\n",
	  unpack('n', $b), $suite, $comp, @e ? join(',', @e) : 'none';
	$chosen = $suite;
}

# server_key_exchange BODY: the ECDHE group, or the DHE prime and generator.
sub server_key_exchange {
	my $b = shift;
	return unless defined $chosen;
	if (($chosen & 0xFF00) == 0xC000 || $chosen == 0xCCA8 || $chosen == 0xCCA9) {
		my ($type, $group) = unpack('C n', $b);
		printf "key exchange: ECDHE, curve type %d, group %04x\n", $type, $group;
		return;
	}
	my $pl = unpack('n', $b);
	my $p = substr($b, 2, $pl);
	my $gl = unpack('n', substr($b, 2 + $pl, 2));
	my $g = substr($b, 4 + $pl, $gl);
	$p =~ s/^\0+//;
	printf "key exchange: DHE, prime %d bits, generator %s\n", 8 * length($p), unpack('H*', $g);
	printf "key exchange: DHE prime %s\n", unpack('H*', $p);
}
