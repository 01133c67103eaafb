#!/usr/bin/perl
# starttls-front.pl: an SMTP server that speaks SMTP only up to STARTTLS and
# then hands the connection, byte for byte, to a TLS server elsewhere in the
# lab (port 443 of a web TLS scenario). So a mail scenario gets TLS
# properties that Postfix on OpenSSL 3 cannot have (no extended master
# secret, no secure renegotiation, client renegotiation, compression, the
# client's cipher order, SHA-1 key exchange signatures): the client's TLS
# handshake after STARTTLS is the backend's. Core Perl only (perl-base:
# Socket, POSIX).
#
# Usage: starttls-front.pl --pidfile FILE NAME,ADDR:PORT,BACKEND:PORT...
#   --pidfile FILE   written once every socket listens (lab/up waits for the
#                    sockets, lab/down signals this pid)
#   NAME,ADDR:PORT,BACKEND:PORT
#                    a listening socket (IPv6: [ADDR]:PORT), the host name it
#                    greets with, and the TLS server it relays to after
#                    STARTTLS (IPv6: [ADDR]:PORT)
# The SMTP side (RFC 5321, RFC 3207):
#   greeting   220 NAME ESMTP lab
#   EHLO x     250-NAME, then PIPELINING, SIZE 10240000, STARTTLS,
#              ENHANCEDSTATUSCODES, 8BITMIME
#   HELO x     250 NAME
#   NOOP, RSET 250 2.0.0 Ok
#   QUIT       221 2.0.0 Bye, and closes
#   STARTTLS   connects to the backend; 220 2.0.0 Ready to start TLS, then
#              relays both ways until both sides have closed (454 4.7.0 and
#              the dialogue goes on if the backend cannot be reached).
#              Plaintext the client pipelined after STARTTLS is discarded,
#              as Postfix does (a command injection otherwise, CVE-2011-0411).
#   MAIL, RCPT, DATA, BDAT, AUTH: 530 5.7.0 Must issue a STARTTLS command first
#   anything else: 502 5.5.2 (500 for an empty or overlong line); after 20
#   errors, or 60 s without a command, 421 and the connection is closed.
# One process per connection (fork); a connection lasts at most 300 s.
# SIGTERM stops the server and every connection. One log line per
# connection on standard error.
use strict;
use warnings;
use Socket qw(:DEFAULT inet_pton AF_INET6 pack_sockaddr_in pack_sockaddr_in6 unpack_sockaddr_in6 SOL_SOCKET
  SO_REUSEADDR IPPROTO_TCP SOMAXCONN);
use POSIX ();

my $LIFETIME = 300;      # seconds a connection may last
my $IDLE = 60;           # seconds to wait for a command
my $MAX_ERRORS = 20;     # bad commands before the server hangs up
my $MAX_LINE = 4096;     # bytes in a command line, CRLF included
my $DRAIN = 5;           # seconds to wait for the client's close after the backend's

my ($pidfile, @specs);
while (@ARGV) {
	my $a = shift @ARGV;
	if ($a eq '--pidfile' && @ARGV) { $pidfile = shift @ARGV }
	elsif ($a =~ /^([A-Za-z0-9.-]+),(\[[0-9A-Fa-f:]+\]|[0-9.]+):(\d+),(\[[0-9A-Fa-f:]+\]|[0-9.]+):(\d+)$/) {
		my ($name, $addr, $port, $baddr, $bport) = ($1, $2, $3, $4, $5);
		s/^\[(.*)\]$/$1/ for $addr, $baddr;
		push @specs, { name => $name, addr => $addr, port => $port, baddr => $baddr, bport => $bport };
	}
	else { die "starttls-front: bad argument '$a'\n" }
}
die "usage: starttls-front.pl --pidfile FILE NAME,ADDR:PORT,BACKEND:PORT...\n"
  unless $pidfile && @specs;

sub logmsg {
	my $t = POSIX::strftime('%Y-%m-%dT%H:%M:%SZ', gmtime);
	print STDERR "$t starttls-front[$$]: @_\n";
}

sub sockaddr_of {
	my ($addr, $port) = @_;
	if ($addr =~ /:/) {
		my $ip = inet_pton(AF_INET6, $addr) or die "starttls-front: bad address $addr\n";
		return (AF_INET6, pack_sockaddr_in6($port, $ip));
	}
	my $ip = inet_aton($addr) or die "starttls-front: bad address $addr\n";
	return (PF_INET, pack_sockaddr_in($port, $ip));
}

sub hostport { my ($a, $p) = @_; ($a =~ /:/ ? "[$a]" : $a) . ":$p" }

# --- sockets ---

for my $s (@specs) {
	my ($fam, $sa) = sockaddr_of($s->{addr}, $s->{port});
	socket(my $sock, $fam, SOCK_STREAM, IPPROTO_TCP) or die "starttls-front: socket: $!\n";
	setsockopt($sock, SOL_SOCKET, SO_REUSEADDR, 1);
	bind($sock, $sa) or die 'starttls-front: bind ' . hostport($s->{addr}, $s->{port}) . ": $!\n";
	listen($sock, SOMAXCONN) or die "starttls-front: listen: $!\n";
	$s->{sock} = $sock;
	$s->{label} = hostport($s->{addr}, $s->{port});
	$s->{backend} = hostport($s->{baddr}, $s->{bport});
}

# Our own process group, so that SIGTERM can take every connection along.
POSIX::setsid();
$SIG{CHLD} = 'IGNORE';    # children are reaped by the kernel
$SIG{PIPE} = 'IGNORE';
my $stopping = 0;
$SIG{TERM} = $SIG{INT} = sub { $stopping = 1 };

{
	my $tmp = "$pidfile.$$";
	open(my $fh, '>', $tmp) or die "starttls-front: $tmp: $!\n";
	print $fh "$$\n";
	close $fh;
	rename($tmp, $pidfile) or die "starttls-front: $pidfile: $!\n";
}
logmsg('listening: ' . join(' ', map { "$_->{name}=$_->{label}->$_->{backend}" } @specs));

while (!$stopping) {
	my $rin = '';
	vec($rin, fileno($_->{sock}), 1) = 1 for @specs;
	my $n = select(my $rout = $rin, undef, undef, 1);
	next if $n <= 0;
	for my $s (@specs) {
		next unless vec($rout, fileno($s->{sock}), 1);
		my $peer = accept(my $conn, $s->{sock}) or next;
		my $pid = fork();
		if (!defined $pid) { logmsg("fork: $!"); close $conn; next }
		if ($pid == 0) {
			close $_->{sock} for @specs;
			$SIG{TERM} = $SIG{INT} = 'DEFAULT';
			$SIG{ALRM} = sub { die "connection ended after $LIFETIME s\n" };
			alarm $LIFETIME;
			my $who = peer_name($peer);
			my $what = eval { serve($s, $conn) } // "died: $@";
			chomp $what;
			logmsg("$s->{name} $s->{label} <- $who: $what");
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
	if (sockaddr_family($p) == AF_INET) {
		my ($port, $ip) = sockaddr_in($p);
		return inet_ntoa($ip) . ":$port";
	}
	my ($port, $ip) = unpack_sockaddr_in6($p);
	return '[' . Socket::inet_ntop(AF_INET6, $ip) . "]:$port";
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

# readable FH SECONDS: true if FH has data (or EOF) within SECONDS.
sub readable {
	my ($fh, $secs) = @_;
	my $rin = '';
	vec($rin, fileno($fh), 1) = 1;
	return select(my $rout = $rin, undef, undef, $secs) > 0;
}

# --- SMTP up to STARTTLS ---

sub serve {
	my ($s, $c) = @_;
	my $name = $s->{name};
	my $reply = sub { send_all($c, join('', map { "$_\r\n" } @_)) or die "client gone ($!)\n" };
	$reply->("220 $name ESMTP lab");
	my ($buf, $cmds, $errors) = ('', 0, 0);
	while (1) {
		# One command line (CRLF, or a bare LF) from the buffer or the socket.
		my $line;
		while (1) {
			if ($buf =~ s/^([^\n]*)\n//) { $line = $1; $line =~ s/\r$//; last }
			if (length $buf >= $MAX_LINE) {
				$reply->("500 5.5.0 Error: line too long");
				return "$cmds commands; line of over $MAX_LINE bytes: closed";
			}
			unless (readable($c, $IDLE)) {
				$reply->("421 4.4.2 $name Error: timeout exceeded");
				return "$cmds commands; no command for $IDLE s: closed";
			}
			my $n = sysread($c, $buf, 65536, length $buf);
			return "$cmds commands; client closed" unless $n;
		}
		$cmds++;
		my ($verb, $arg) = $line =~ /^\s*(\S*)\s*(.*?)\s*$/;
		$verb = uc $verb;
		if ($verb eq 'EHLO') {
			if ($arg eq '') { $reply->('501 5.5.4 Syntax: EHLO hostname'); $errors++ }
			else {
				$reply->("250-$name", '250-PIPELINING', '250-SIZE 10240000', '250-STARTTLS',
					'250-ENHANCEDSTATUSCODES', '250 8BITMIME');
			}
		}
		elsif ($verb eq 'HELO') {
			if ($arg eq '') { $reply->('501 5.5.4 Syntax: HELO hostname'); $errors++ }
			else { $reply->("250 $name") }
		}
		elsif ($verb eq 'NOOP' || $verb eq 'RSET') { $reply->('250 2.0.0 Ok') }
		elsif ($verb eq 'QUIT') {
			$reply->('221 2.0.0 Bye');
			return "$cmds commands; QUIT";
		}
		elsif ($verb eq 'STARTTLS') {
			if ($arg ne '') { $reply->('501 5.5.4 Syntax: STARTTLS'); $errors++; next }
			my ($be, $err) = connect_backend($s);
			unless ($be) {
				$reply->('454 4.7.0 TLS not available due to local problem');
				logmsg("backend $s->{backend}: $err");
				$errors++;
				next;
			}
			$reply->('220 2.0.0 Ready to start TLS');
			logmsg(length($buf) . ' bytes pipelined after STARTTLS discarded') if length $buf;
			my ($up, $down, $why) = relay($c, $be);
			return "$cmds commands; STARTTLS: relayed to $s->{backend}, $up bytes up, $down down ($why)";
		}
		elsif ($verb =~ /^(MAIL|RCPT|DATA|BDAT|AUTH)$/) {
			$reply->('530 5.7.0 Must issue a STARTTLS command first');
			$errors++;
		}
		elsif ($verb eq '') { $reply->('500 5.5.2 Error: bad syntax'); $errors++ }
		else { $reply->('502 5.5.2 Error: command not recognized'); $errors++ }
		if ($errors >= $MAX_ERRORS) {
			$reply->("421 4.7.0 $name Error: too many errors");
			return "$cmds commands; $errors errors: closed";
		}
	}
}

# connect_backend SPEC: a socket connected to the backend, or (undef, why).
sub connect_backend {
	my $s = shift;
	my ($fam, $sa) = sockaddr_of($s->{baddr}, $s->{bport});
	socket(my $be, $fam, SOCK_STREAM, IPPROTO_TCP) or return (undef, "socket: $!");
	connect($be, $sa) or return (undef, "connect: $!");
	return ($be);
}

# relay CLIENT BACKEND: copy bytes both ways. A side's end of file is passed
# on as a half-close; once the backend has closed, the client gets DRAIN
# seconds to close too (reading first, so that our close is a FIN and not a
# reset that could destroy the backend's last bytes, a TLS alert, in
# flight). Returns the byte counts and why it ended.
sub relay {
	my ($c, $be) = @_;
	my ($up, $down) = (0, 0);
	my ($c_open, $be_open) = (1, 1);
	my $drain_until;
	while ($c_open) {
		my $wait = $drain_until ? $drain_until - time : undef;
		last if defined $wait && $wait <= 0;
		my $rin = '';
		vec($rin, fileno($c), 1) = 1;
		vec($rin, fileno($be), 1) = 1 if $be_open;
		my $n = select(my $rout = $rin, undef, undef, $wait);
		next if $n <= 0;
		if (vec($rout, fileno($c), 1)) {
			my $got = sysread($c, my $buf, 65536);
			if ($got) {
				if ($be_open) {
					send_all($be, $buf) or return ($up, $down, "backend write: $!");
					$up += $got;
				}
			}
			else {
				$c_open = 0;
				shutdown($be, 1) if $be_open;
			}
		}
		if ($be_open && vec($rout, fileno($be), 1)) {
			my $got = sysread($be, my $buf, 65536);
			if ($got) {
				send_all($c, $buf) or return ($up, $down, "client write: $!");
				$down += $got;
			}
			else {
				$be_open = 0;
				shutdown($c, 1);
				$drain_until = time + $DRAIN;
			}
		}
	}
	# The client closed first: wait for the backend to finish (its last
	# records) until it closes too, or the connection's lifetime ends.
	while ($be_open) {
		my $got = sysread($be, my $buf, 65536);
		last unless $got;
		send_all($c, $buf) or last;
		$down += $got;
	}
	close $be;
	return ($up, $down, $c_open ? 'backend closed; client did not within ' . $DRAIN . ' s' : 'closed');
}
