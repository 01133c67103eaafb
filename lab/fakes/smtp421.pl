#!/usr/bin/perl
# smtp421.pl: an SMTP front that turns a client away before letting it in,
# as a server under load or rate limiting does (RFC 5321 §3.8, §4.2.2: "421
# <domain> Service not available, closing transmission channel"). For the
# first connections of a client address it sends a 421 greeting and closes;
# later ones are relayed, byte for byte, to a real smtpd (which then greets,
# offers STARTTLS, and so on). Core Perl only (perl-base: Socket, POSIX,
# Fcntl).
#
# Run by Postfix's spawn(8) (lab/mail/services/mail-421.cf), one process per
# connection: the client's socket is standard input and output (and error:
# this script sends its own errors to the log instead). spawn runs it as
# user nobody in the Postfix queue folder, so the paths below are relative
# to that folder; lab/lib/mail.sh puts a copy of this script, the state
# folder and the log there.
#
# Usage: smtp421.pl --backend ADDR:PORT --name HOST [--count N]
#                   [--window SECONDS] [--state DIR] [--log FILE]
#   --backend ADDR:PORT  the smtpd to relay to ([ADDR]:PORT for IPv6)
#   --name HOST          the host name in the 421 reply
#   --count N            connections turned away per client address (2)
#   --window SECONDS     a client address unheard of for this long starts
#                        again at its first connection (60)
#   --state DIR          where the per-address counts are kept, one line per
#                        address: "ADDR COUNT LAST-SEEN" (fakes/state)
#   --log FILE           one line per connection (fakes/smtp421.log)
# So a client that has been quiet for a minute gets "421" on its first
# two connections (each counts, however short) and is served from the third
# on, as long as it comes back within a minute each time.
use strict;
use warnings;
use Socket qw(:DEFAULT inet_pton inet_ntop AF_INET6 pack_sockaddr_in6
  unpack_sockaddr_in6 IPPROTO_TCP);
use POSIX ();
use Fcntl qw(:flock O_RDWR O_CREAT);

my $LIFETIME = 600;    # seconds a relayed connection may last
my $DRAIN = 2;         # seconds to read what the client still sends after 421

my %opt = (count => 2, window => 60, state => 'fakes/state', log => 'fakes/smtp421.log');
while (@ARGV) {
	my $a = shift @ARGV;
	if ($a =~ /^--(backend|name|count|window|state|log)$/ && @ARGV) { $opt{$1} = shift @ARGV }
	else { die "smtp421: bad argument '$a'\n" }
}
die "usage: smtp421.pl --backend ADDR:PORT --name HOST [--count N] [--window S]\n"
  unless $opt{backend} && $opt{name};

# Standard error is the client's socket: errors go to the log.
if (open(my $log, '>>', $opt{log})) {
	open(STDERR, '>&', $log) or POSIX::_exit(1);
	$log->autoflush(1);
	STDERR->autoflush(1);
}
else { open(STDERR, '>', '/dev/null') }

sub logmsg {
	my $t = POSIX::strftime('%Y-%m-%dT%H:%M:%SZ', gmtime);
	print STDERR "$t smtp421[$$]: @_\n";
}

my $client = client_addr();
my ($n, $turn_away) = count_connection($client);
if ($turn_away) {
	send_all(\*STDOUT, "421 4.7.0 $opt{name} Try again later\r\n");
	my $got = drain(\*STDIN, $DRAIN);
	logmsg("$client: connection $n within the window: 421 sent, closed ($got bytes read)");
	exit 0;
}
my ($up, $down, $why) = relay($opt{backend});
logmsg("$client: connection $n: relayed to $opt{backend}, $up bytes up, $down down ($why)");
exit 0;

# client_addr: the peer address of standard input (the client's socket).
sub client_addr {
	my $p = getpeername(STDIN) or return 'unknown';
	my $fam = sockaddr_family($p);
	if ($fam == AF_INET) {
		my (undef, $ip) = sockaddr_in($p);
		return inet_ntoa($ip);
	}
	my (undef, $ip) = unpack_sockaddr_in6($p);
	return inet_ntop(AF_INET6, $ip);
}

# count_connection ADDR: record one more connection from ADDR (under a lock:
# spawn runs connections in parallel); returns its number within the window
# and whether it is to be turned away.
sub count_connection {
	my $addr = shift;
	my $file = "$opt{state}/seen";
	sysopen(my $fh, $file, O_RDWR | O_CREAT, 0600) or die "smtp421: $file: $!\n";
	flock($fh, LOCK_EX) or die "smtp421: lock $file: $!\n";
	my (%count, %last);
	while (my $line = <$fh>) {
		my ($a, $c, $l) = split ' ', $line;
		next unless defined $l;
		($count{$a}, $last{$a}) = ($c, $l);
	}
	my $now = time;
	$count{$addr} = 0 if !defined $last{$addr} || $now - $last{$addr} > $opt{window};
	$count{$addr}++;
	$last{$addr} = $now;
	seek($fh, 0, 0);
	truncate($fh, 0);
	# Addresses quiet for longer than the window are forgotten.
	for my $a (sort keys %count) {
		next if $now - $last{$a} > $opt{window};
		print $fh "$a $count{$a} $last{$a}\n";
	}
	close $fh;
	return ($count{$addr}, $count{$addr} <= $opt{count});
}

sub send_all {
	my ($fh, $data) = @_;
	while (length $data) {
		my $n = syswrite($fh, $data);
		return 0 unless defined $n && $n > 0;
		substr($data, 0, $n, '');
	}
	return 1;
}

# drain FH SECONDS: after the 421, half-close and read what the client still
# sends until it closes or SECONDS pass (so that the close is a FIN, not a
# reset that could destroy the 421 in flight).
sub drain {
	my ($fh, $secs) = @_;
	shutdown(STDOUT, 1);
	my $deadline = time + $secs;
	my $got = 0;
	while (1) {
		my $left = $deadline - time;
		last if $left <= 0;
		my $rin = '';
		vec($rin, fileno($fh), 1) = 1;
		last if select(my $rout = $rin, undef, undef, $left) <= 0;
		my $n = sysread($fh, my $buf, 4096);
		last unless $n;
		$got += $n;
	}
	return $got;
}

# relay ADDR:PORT: connect to the backend and copy bytes both ways until both
# sides have closed (or LIFETIME passes); returns the byte counts and why it
# ended.
sub relay {
	my $spec = shift;
	my ($host, $port) = $spec =~ /^\[?([^\]]+?)\]?:(\d+)$/ or die "smtp421: bad backend $spec\n";
	my $be;
	if ($host =~ /:/) {
		socket($be, AF_INET6, SOCK_STREAM, IPPROTO_TCP) or die "smtp421: socket: $!\n";
		connect($be, pack_sockaddr_in6($port, inet_pton(AF_INET6, $host)))
		  or return backend_down($spec, $!);
	}
	else {
		socket($be, PF_INET, SOCK_STREAM, IPPROTO_TCP) or die "smtp421: socket: $!\n";
		connect($be, sockaddr_in($port, inet_aton($host))) or return backend_down($spec, $!);
	}
	my ($up, $down) = (0, 0);
	my ($cli_open, $be_open) = (1, 1);
	my $deadline = time + $LIFETIME;
	while ($cli_open || $be_open) {
		my $left = $deadline - time;
		return ($up, $down, "ended after $LIFETIME s") if $left <= 0;
		my $rin = '';
		vec($rin, fileno(STDIN), 1) = 1 if $cli_open;
		vec($rin, fileno($be), 1) = 1 if $be_open;
		my $n = select(my $rout = $rin, undef, undef, $left);
		next if $n <= 0;
		if ($cli_open && vec($rout, fileno(STDIN), 1)) {
			my $got = sysread(STDIN, my $buf, 65536);
			if ($got) { send_all($be, $buf) or last; $up += $got }
			else { $cli_open = 0; shutdown($be, 1) }
		}
		if ($be_open && vec($rout, fileno($be), 1)) {
			my $got = sysread($be, my $buf, 65536);
			if ($got) { send_all(\*STDOUT, $buf) or last; $down += $got }
			else {
				# The server closed (after QUIT, or on an error): so do we.
				$be_open = 0;
				last;
			}
		}
	}
	close $be;
	return ($up, $down, 'closed');
}

sub backend_down {
	my ($spec, $err) = @_;
	send_all(\*STDOUT, "421 4.3.0 $opt{name} Backend unavailable\r\n");
	return (0, 0, "backend $spec: $err; 421 sent");
}
