#!/usr/bin/perl
# hostile_smtp.pl: a deliberately misbehaving SMTP server on loopback, for
# 14-smtp-hostile.sh. Core Perl only.
#
# Usage: hostile_smtp.pl PORTFILE MODE
#   Listens on 127.0.0.1, an ephemeral port written to PORTFILE; every
#   connection (one process each) gets, as MODE says:
#     lines     "220-" greeting lines for ever (never the last line)
#     longline  a greeting line that never ends
#     defer     "421 4.7.0 Try again later" to every connection
#     silent    nothing at all
#     nostarttls  a 220 greeting and an EHLO answer without STARTTLS
#   Stops on SIGTERM.
use strict;
use warnings;
use Socket qw(:DEFAULT);
use POSIX ();

my ($portfile, $mode) = @ARGV;
die "usage: hostile_smtp.pl PORTFILE lines|longline|defer|silent|nostarttls\n"
  unless defined $mode && $mode =~ /^(lines|longline|defer|silent|nostarttls)$/;

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
	alarm 60;
	if ($mode eq 'lines') {
		while (syswrite($c, "220-hostile.test still greeting\r\n" x 100)) { }
	} elsif ($mode eq 'longline') {
		syswrite($c, "220 ") or POSIX::_exit(0);
		while (syswrite($c, 'x' x 4096)) { }
	} elsif ($mode eq 'defer') {
		syswrite($c, "421 4.7.0 hostile.test Try again later\r\n");
	} elsif ($mode eq 'nostarttls') {
		syswrite($c, "220 hostile.test ESMTP\r\n");
		my $buf = '';
		sysread($c, $buf, 1024);
		syswrite($c, "250-hostile.test\r\n250 8BITMIME\r\n");
		sysread($c, $buf, 1024);
	} else {
		my $buf;
		sysread($c, $buf, 1024);
	}
	POSIX::_exit(0);
}
