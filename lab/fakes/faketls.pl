#!/usr/bin/perl
# faketls.pl: a deliberately misbehaving TLS endpoint for the lab, for what no
# real server does any more. It reads the client's ClientHello and answers
# with hand-built TLS 1.2 records; it never completes a handshake (it has no
# cryptography at all). Core Perl only (perl-base: Socket, POSIX).
#
# Usage: faketls.pl --pidfile FILE --chain PEM MODE=ADDR:PORT...
#   --pidfile FILE   written once every socket listens (lab/up waits for the
#                    sockets, lab/down signals this pid)
#   --chain PEM      certificates (PEM) sent in Certificate messages
#   MODE=ADDR:PORT   a listening socket and what it does (IPv6: [ADDR]:PORT):
#     compress    ServerHello (TLS 1.2) selecting compression method 1
#                 (DEFLATE) when the client offers it (else 0, null), a
#                 static-RSA suite when offered (else ECDHE-RSA, else the
#                 client's first TLS 1.2 suite), Certificate, ServerHelloDone
#                 (no ServerKeyExchange: complete only for static RSA). Then
#                 reads the client's next flight (waiting up to 3 s for it)
#                 and ends with a fatal handshake_failure alert.
#     hugerecord  ServerHello, then a Certificate message whose header
#                 announces 16 MiB - 1 bytes (the 24-bit maximum; a TLS record
#                 header itself can announce at most 64 KiB), all of it sent
#                 as fast as possible in 16 KiB records (certificate entries,
#                 well-formed to the last byte), until done or the client
#                 closes.
#     endless     ServerHello, Certificate (the chain), then one HelloRequest
#                 record every 10 ms for ever (RFC 5246 7.4.1.1: a client
#                 ignores HelloRequest while negotiating), never a
#                 ServerHelloDone.
#     silent      accepts the connection and never sends a byte (reads and
#                 discards what arrives).
# A client that offers no TLS 1.2 (or sends no TLS ClientHello) gets a
# protocol_version alert (or is disconnected). One process per connection
# (fork); a connection lasts at most 300 s. SIGTERM stops the server and every
# connection. One log line per connection on standard error.
use strict;
use warnings;
use Socket qw(:DEFAULT inet_pton AF_INET6 pack_sockaddr_in6 SOL_SOCKET SO_REUSEADDR
  IPPROTO_TCP SOMAXCONN);
use POSIX ();

my $LIFETIME = 300;    # seconds a connection may last
my $HELLO_WAIT = 10;   # seconds to wait for the ClientHello
my $MAX_HANDSHAKE = 0xFFFFFF;

my ($pidfile, $chainfile, @specs);
while (@ARGV) {
	my $a = shift @ARGV;
	if ($a eq '--pidfile') { $pidfile = shift @ARGV }
	elsif ($a eq '--chain') { $chainfile = shift @ARGV }
	elsif ($a =~ /^(compress|hugerecord|endless|silent)=(.+):(\d+)$/) {
		my ($mode, $addr, $port) = ($1, $2, $3);
		$addr =~ s/^\[(.*)\]$/$1/;
		push @specs, [$mode, $addr, $port];
	}
	else { die "faketls: bad argument '$a'\n" }
}
die "usage: faketls.pl --pidfile FILE --chain PEM MODE=ADDR:PORT...\n"
  unless $pidfile && $chainfile && @specs;

my @chain = read_chain($chainfile);
die "faketls: no certificate in $chainfile\n" unless @chain;

sub logmsg {
	my $t = POSIX::strftime('%Y-%m-%dT%H:%M:%SZ', gmtime);
	print STDERR "$t faketls[$$]: @_\n";
}

# --- base64 and PEM (no MIME::Base64 in perl-base) ---

sub b64decode {
	my $s = shift;
	$s =~ tr|A-Za-z0-9+/||cd;
	$s =~ tr|A-Za-z0-9+/| -_|;
	my $uu = '';
	while (length $s) {
		my $chunk = substr($s, 0, 60, '');
		$uu .= chr(32 + int(length($chunk) * 3 / 4)) . $chunk;
	}
	return unpack('u', $uu);
}

sub read_chain {
	my $f = shift;
	open(my $fh, '<', $f) or die "faketls: $f: $!\n";
	local $/;
	my $pem = <$fh>;
	close $fh;
	my @der;
	while ($pem =~ /-----BEGIN CERTIFICATE-----(.*?)-----END CERTIFICATE-----/gs) {
		push @der, b64decode($1);
	}
	return @der;
}

# --- sockets ---

my @listeners;    # [socket, mode, "addr:port"]
for my $s (@specs) {
	my ($mode, $addr, $port) = @$s;
	my $sock;
	if ($addr =~ /:/) {
		my $ip = inet_pton(AF_INET6, $addr) or die "faketls: bad address $addr\n";
		socket($sock, AF_INET6, SOCK_STREAM, IPPROTO_TCP) or die "faketls: socket: $!\n";
		setsockopt($sock, SOL_SOCKET, SO_REUSEADDR, 1);
		bind($sock, pack_sockaddr_in6($port, $ip)) or die "faketls: bind [$addr]:$port: $!\n";
	}
	else {
		my $ip = inet_aton($addr) or die "faketls: bad address $addr\n";
		socket($sock, PF_INET, SOCK_STREAM, IPPROTO_TCP) or die "faketls: socket: $!\n";
		setsockopt($sock, SOL_SOCKET, SO_REUSEADDR, 1);
		bind($sock, sockaddr_in($port, $ip)) or die "faketls: bind $addr:$port: $!\n";
	}
	listen($sock, SOMAXCONN) or die "faketls: listen $addr:$port: $!\n";
	push @listeners, [$sock, $mode, "$addr:$port"];
}

# Our own process group, so that SIGTERM can take every connection along.
POSIX::setsid();
$SIG{CHLD} = 'IGNORE';    # children are reaped by the kernel
$SIG{PIPE} = 'IGNORE';
my $stopping = 0;
$SIG{TERM} = $SIG{INT} = sub { $stopping = 1 };

{
	my $tmp = "$pidfile.$$";
	open(my $fh, '>', $tmp) or die "faketls: $tmp: $!\n";
	print $fh "$$\n";
	close $fh;
	rename($tmp, $pidfile) or die "faketls: $pidfile: $!\n";
}
logmsg('listening: ' . join(' ', map { "$_->[1]=$_->[2]" } @listeners));

while (!$stopping) {
	my $rin = '';
	vec($rin, fileno($_->[0]), 1) = 1 for @listeners;
	my $n = select(my $rout = $rin, undef, undef, 1);
	next if $n <= 0;
	for my $l (@listeners) {
		next unless vec($rout, fileno($l->[0]), 1);
		my $peer = accept(my $conn, $l->[0]) or next;
		my $pid = fork();
		if (!defined $pid) { logmsg("fork: $!"); close $conn; next }
		if ($pid == 0) {
			close $_->[0] for @listeners;
			$SIG{TERM} = $SIG{INT} = 'DEFAULT';
			$SIG{ALRM} = sub { die "connection ended after $LIFETIME s\n" };
			srand(time ^ ($$ << 16));
			alarm $LIFETIME;
			my $who = peer_name($peer);
			my $what = eval { serve($l->[1], $conn) } // "died: $@";
			chomp $what;
			logmsg("$l->[1] $l->[2] <- $who: $what");
			close $conn;
			POSIX::_exit(0);
		}
		close $conn;
	}
}
$SIG{TERM} = 'IGNORE';
kill 'TERM', -$$;
logmsg('stopped');
exit 0;

sub peer_name {
	my $p = shift;
	my $fam = sockaddr_family($p);
	if ($fam == AF_INET) {
		my ($port, $ip) = sockaddr_in($p);
		return inet_ntoa($ip) . ":$port";
	}
	my ($port, $ip) = Socket::unpack_sockaddr_in6($p);
	return '[' . Socket::inet_ntop(AF_INET6, $ip) . "]:$port";
}

# --- TLS bytes ---

sub u24 { substr(pack('N', $_[0]), 1) }

sub handshake_msg { my ($type, $body) = @_; pack('C', $type) . u24(length $body) . $body }

# records CONTENT_TYPE DATA: DATA cut into TLS 1.2 records of at most 16 KiB.
sub records {
	my ($type, $data) = @_;
	my $out = '';
	while (length $data) {
		my $frag = substr($data, 0, 16384, '');
		$out .= pack('C n n', $type, 0x0303, length $frag) . $frag;
	}
	return $out;
}

sub send_all {
	my ($s, $data) = @_;
	while (length $data) {
		my $w = syswrite($s, $data);
		die "client gone ($!)\n" unless $w;
		substr($data, 0, $w, '');
	}
	return 1;
}

sub send_alert { my ($s, $desc) = @_; send_all($s, pack('C n n C C', 21, 0x0303, 2, 2, $desc)) }

sub random_bytes { join '', map { chr(int(rand(256))) } 1 .. $_[0] }

# read_exact SOCKET N DEADLINE: N bytes, or undef at EOF, error or deadline.
sub read_exact {
	my ($s, $n, $deadline) = @_;
	my $buf = '';
	while (length $buf < $n) {
		my $left = $deadline - time;
		return undef if $left <= 0;
		my $rin = '';
		vec($rin, fileno($s), 1) = 1;
		return undef if select(my $rout = $rin, undef, undef, $left) <= 0;
		my $got = sysread($s, $buf, $n - length $buf, length $buf);
		return undef unless $got;
	}
	return $buf;
}

# read_client_hello SOCKET: the ClientHello, parsed: { versions => [...],
# suites => [...], comps => [...], exts => { type => data } }, or a string
# saying why there is none.
sub read_client_hello {
	my $s = shift;
	my $deadline = time + $HELLO_WAIT;
	my $hs = '';
	my $len;
	while (1) {
		my $hdr = read_exact($s, 5, $deadline);
		return 'no ClientHello (closed or timed out)' unless defined $hdr;
		my ($type, $ver, $rlen) = unpack('C n n', $hdr);
		return sprintf('not a TLS handshake record (first bytes %02x %04x)', $type, $ver)
		  unless $type == 22 && $rlen > 0 && $rlen <= 18432;
		my $frag = read_exact($s, $rlen, $deadline);
		return 'truncated record' unless defined $frag;
		$hs .= $frag;
		next if length $hs < 4;
		my ($t, $l) = (ord($hs), unpack('N', "\0" . substr($hs, 1, 3)));
		return "first handshake message is type $t, not ClientHello" unless $t == 1;
		return "ClientHello of $l bytes" if $l > 65536;
		if (length $hs >= 4 + $l) { $hs = substr($hs, 4, $l); last }
	}
	my $p = 0;
	my $take = sub {
		my $n = shift;
		die "short ClientHello\n" if $p + $n > length $hs;
		my $v = substr($hs, $p, $n);
		$p += $n;
		return $v;
	};
	my %ch;
	my $ok = eval {
		my $legacy = unpack('n', $take->(2));
		$take->(32);
		$take->(ord $take->(1));
		my $sl = unpack('n', $take->(2));
		$ch{suites} = [unpack('n*', $take->($sl))];
		$ch{comps} = [unpack('C*', $take->(ord $take->(1)))];
		$ch{exts} = {};
		if ($p < length $hs) {
			my $end = $p + 2 + unpack('n', substr($hs, $p, 2));
			$take->(2);
			while ($p < $end) {
				my ($et, $el) = unpack('n n', $take->(4));
				$ch{exts}{$et} = $take->($el);
			}
		}
		if (defined(my $sv = $ch{exts}{43})) {
			my $n = ord $sv;
			$ch{versions} = [unpack('n*', substr($sv, 1, $n))];
		}
		else {
			$ch{versions} = [$legacy];
			push @{ $ch{versions} }, 0x0303 if $legacy > 0x0303;
		}
		1;
	};
	return "malformed ClientHello: $@" unless $ok;
	return \%ch;
}

# choose_suite CH PREFER_STATIC: the suite to put in the ServerHello.
sub choose_suite {
	my ($ch, $static_first) = @_;
	my %offered = map { $_ => 1 } @{ $ch->{suites} };
	my @static = (0x009C, 0x009D, 0x002F, 0x0035, 0x003C, 0x003D);
	my @ecdhe = (0xC02F, 0xC030, 0xCCA8, 0xC013, 0xC014, 0xC027, 0xC028);
	for my $c ($static_first ? (@static, @ecdhe) : (@ecdhe, @static)) {
		return $c if $offered{$c};
	}
	for my $c (@{ $ch->{suites} }) {
		next if ($c & 0xFF00) == 0x1300;              # TLS 1.3 only
		next if $c == 0x00FF || $c == 0x5600;         # signalling values
		next if ($c & 0x0F0F) == 0x0A0A;              # GREASE
		return $c;
	}
	return undef;
}

# server_hello CH SUITE COMPRESSION: the ServerHello message (TLS 1.2).
sub server_hello {
	my ($ch, $suite, $comp) = @_;
	my $ext = '';
	my $scsv = grep { $_ == 0x00FF } @{ $ch->{suites} };
	$ext .= pack('n n C', 0xFF01, 1, 0) if $scsv || exists $ch->{exts}{0xFF01};
	$ext .= pack('n n C C', 0x000B, 2, 1, 0)    # ec_point_formats: uncompressed
	  if exists $ch->{exts}{0x000B} && (($suite & 0xFF00) == 0xC000 || ($suite & 0xFFF0) == 0xCCA0);
	my $body = pack('n', 0x0303) . random_bytes(32) . pack('C', 32) . random_bytes(32)
	  . pack('n C', $suite, $comp);
	$body .= pack('n', length $ext) . $ext if length $ext;
	return handshake_msg(2, $body);
}

sub certificate_msg {
	my $list = join '', map { u24(length $_) . $_ } @chain;
	return handshake_msg(11, u24(length $list) . $list);
}

# hello_or_alert SOCKET: the ClientHello if it offers TLS 1.2; else sends
# an alert (or nothing) and dies with the reason.
sub hello_or_alert {
	my $s = shift;
	my $ch = read_client_hello($s);
	die "$ch\n" unless ref $ch;
	unless (grep { $_ == 0x0303 } @{ $ch->{versions} }) {
		send_alert($s, 70);
		die sprintf("no TLS 1.2 offered (versions %s): protocol_version alert\n",
			join(',', map { sprintf '%04x', $_ } @{ $ch->{versions} }));
	}
	return $ch;
}

sub serve {
	my ($mode, $s) = @_;
	if ($mode eq 'silent') {
		my $n = 0;
		while (1) {
			my $got = sysread($s, my $buf, 65536);
			last unless $got;
			$n += $got;
		}
		return "silent: received $n bytes, sent nothing; client closed";
	}
	my $ch = hello_or_alert($s);
	my $suite = choose_suite($ch, $mode eq 'compress');
	unless (defined $suite) {
		send_alert($s, 40);
		return 'no usable suite offered: handshake_failure alert';
	}
	if ($mode eq 'compress') {
		my $deflate = grep { $_ == 1 } @{ $ch->{comps} };
		my $flight = server_hello($ch, $suite, $deflate ? 1 : 0) . certificate_msg()
		  . handshake_msg(14, '');
		send_all($s, records(22, $flight));
		# The client's next flight (ClientKeyExchange...): wait up to 3 s
		# for it, then 0.2 s for the rest of it, then fail as a server that
		# cannot finish would.
		my $got = 0;
		my $wait = 3;
		while (1) {
			my $rin = '';
			vec($rin, fileno($s), 1) = 1;
			last if select(my $rout = $rin, undef, undef, $wait) <= 0;
			my $n = sysread($s, my $buf, 65536);
			last unless $n;
			$got += $n;
			$wait = 0.2;
		}
		eval { send_alert($s, 40) };
		return sprintf('compress: DEFLATE %s, suite %04x, compression %d; client sent %d bytes more',
			$deflate ? 'offered' : 'not offered', $suite, $deflate ? 1 : 0, $got);
	}
	if ($mode eq 'hugerecord') {
		send_all($s, records(22, server_hello($ch, $suite, 0)));
		# Certificate: header + list length + entries, 2^24 - 1 bytes of body.
		my $body_len = $MAX_HANDSHAKE;
		my $entry = u24(length $chain[0]) . $chain[0];
		my $stream = pack('C', 11) . u24($body_len) . u24($body_len - 3);
		my $left = $body_len - 3;    # bytes of certificate entries still to send
		my $sent = 0;
		my $ok = eval {
			while ($left > 0) {
				while (length $stream < 16384 && $left > 0) {
					if ($left >= 2 * length $entry) {
						$stream .= $entry;
						$left -= length $entry;
					}
					else {    # the last entry fills the rest exactly
						$stream .= u24($left - 3) . ("\0" x ($left - 3));
						$left = 0;
					}
				}
				my $frag = substr($stream, 0, 16384, '');
				send_all($s, pack('C n n', 22, 0x0303, length $frag) . $frag);
				$sent += length $frag;
			}
			send_all($s, records(22, $stream)) if length $stream;
			$sent += length $stream;
			1;
		};
		my $why = $ok ? '' : " ($@)";
		$why =~ s/\n//;
		return sprintf('hugerecord: suite %04x; %d of %d Certificate bytes sent%s', $suite, $sent,
			$body_len + 4, $why);
	}
	if ($mode eq 'endless') {
		send_all($s, records(22, server_hello($ch, $suite, 0) . certificate_msg()));
		my $n = 0;
		my $hello_request = pack('C n n', 22, 0x0303, 4) . handshake_msg(0, '');
		eval {
			while (1) {
				select(undef, undef, undef, 0.01);
				send_all($s, $hello_request);
				$n++;
			}
		};
		my $why = $@;
		$why =~ s/\n//;
		return sprintf('endless: suite %04x; %d HelloRequest records sent (%s)', $suite, $n, $why);
	}
	die "unknown mode $mode\n";
}
