#!/usr/bin/perl
# hostile_http.pl: a deliberately misbehaving HTTP server on loopback, for
# 13-http-hostile.sh. Core Perl only.
#
# Usage: hostile_http.pl PORTFILE MODE
#   Listens on 127.0.0.1, an ephemeral port written to PORTFILE, and answers
#   every connection (one process each) as MODE says:
#     headers  a status line, then header lines for ever (never a blank line)
#     body     a 200 announcing Content-Length: 1 GiB, then the body, as fast
#              as the client reads, until it closes
#     drip     a 200, then one byte of body every 100 ms for ever
#   Stops on SIGTERM.
use strict;
use warnings;
use Socket qw(:DEFAULT);
use POSIX ();

my ($portfile, $mode) = @ARGV;
die "usage: hostile_http.pl PORTFILE headers|body|drip\n"
  unless defined $mode && $mode =~ /^(headers|body|drip)$/;

socket(my $srv, PF_INET, SOCK_STREAM, 0) or die "socket: $!";
setsockopt($srv, SOL_SOCKET, SO_REUSEADDR, 1) or die "setsockopt: $!";
bind($srv, pack_sockaddr_in(0, inet_aton('127.0.0.1'))) or die "bind: $!";
listen($srv, SOMAXCONN) or die "listen: $!";
my ($port) = unpack_sockaddr_in(getsockname($srv));
open(my $pf, '>', "$portfile.tmp") or die "$portfile: $!";
print $pf "$port\n";
close $pf;
rename("$portfile.tmp", $portfile) or die "rename: $!";

$SIG{CHLD} = 'IGNORE';
$SIG{PIPE} = 'IGNORE';
$SIG{TERM} = sub { kill 'TERM', -$$; exit 0 };
setpgrp(0, 0);

while (accept(my $c, $srv)) {
	my $pid = fork();
	next if !defined $pid || $pid > 0;
	close $srv;
	alarm 120;
	# Read the request head (up to a blank line), then answer.
	my $req = '';
	while ($req !~ /\r?\n\r?\n/) {
		my $n = sysread($c, $req, 4096, length $req);
		POSIX::_exit(0) if !$n;
	}
	if ($mode eq 'headers') {
		syswrite($c, "HTTP/1.1 200 OK\r\n") or POSIX::_exit(0);
		my $i = 0;
		while (1) {
			my $l = sprintf("X-Filler-%d: %s\r\n", $i++, 'x' x 100);
			syswrite($c, $l x 50) or last;
		}
	} elsif ($mode eq 'body') {
		syswrite($c, "HTTP/1.1 200 OK\r\nContent-Type: text/html\r\n"
			  . "Content-Length: 1073741824\r\n\r\n") or POSIX::_exit(0);
		my $chunk = 'A' x 65536;
		for (my $sent = 0; $sent < 1073741824; $sent += 65536) {
			syswrite($c, $chunk) or last;
		}
	} else {
		syswrite($c, "HTTP/1.1 200 OK\r\nContent-Type: text/html\r\n"
			  . "Content-Length: 1000000\r\n\r\n") or POSIX::_exit(0);
		while (1) {
			syswrite($c, 'a') or last;
			select(undef, undef, undef, 0.1);
		}
	}
	POSIX::_exit(0);
}
