#!/usr/bin/perl
# mkcerts.pl: the certificates of the generated scan domains (lab/lib/gen.sh),
# all in one process (an openssl command per certificate costs about 50 ms;
# here a few hundred take well under a second).
#
# Usage: perl mkcerts.pl ISSUER.pem ISSUER.key OUTDIR < SPECS
# SPECS: one certificate a line, tab-separated: name, key file, digest
# (sha256, sha1...), SANs (comma-separated DNS names; the first is also the
# subject CN). Makes OUTDIR/<name>.crt and OUTDIR/<name>.chain.pem (leaf +
# issuer), like lab/lib/pki.sh's make_leaf: valid from yesterday for 825
# days, a random serial, CA:FALSE, serverAuth, key identifiers. A
# certificate is kept while its line (OUTDIR/<name>.row) is unchanged, it is
# younger than the issuer and than 800 days.
use strict;
use warnings;
use Net::SSLeay;

Net::SSLeay::initialize();
my ($issuer_pem, $issuer_keyfile, $outdir) = @ARGV;
die "usage: mkcerts.pl ISSUER.pem ISSUER.key OUTDIR < SPECS\n" unless defined $outdir;

sub slurp {
	my ($f) = @_;
	open(my $fh, '<', $f) or die "mkcerts.pl: $f: $!\n";
	local $/;
	my $s = <$fh>;
	close($fh);
	return $s;
}

sub read_key {
	my ($f) = @_;
	my $bio = Net::SSLeay::BIO_new_file($f, 'r') or die "mkcerts.pl: $f: cannot open\n";
	my $k = Net::SSLeay::PEM_read_bio_PrivateKey($bio) or die "mkcerts.pl: $f: no private key\n";
	Net::SSLeay::BIO_free($bio);
	return $k;
}

my $bio = Net::SSLeay::BIO_new_file($issuer_pem, 'r') or die "mkcerts.pl: $issuer_pem: cannot open\n";
my $ca = Net::SSLeay::PEM_read_bio_X509($bio) or die "mkcerts.pl: $issuer_pem: no certificate\n";
Net::SSLeay::BIO_free($bio);
my $ca_key = read_key($issuer_keyfile);
my $ca_text = slurp($issuer_pem);
my $ca_mtime = (stat($issuer_pem))[9];
my $old = time() - 800 * 86400;
my (%keys, $made, $kept);
$made = $kept = 0;

while (my $line = <STDIN>) {
	chomp $line;
	next if $line eq '' || $line =~ /^#/;
	my ($name, $keyfile, $md, $sans) = split /\t/, $line;
	die "mkcerts.pl: bad line: $line\n" unless defined $sans;
	my $crt = "$outdir/$name.crt";
	if (-s $crt && -s "$outdir/$name.chain.pem" && -r "$outdir/$name.row") {
		my $row = slurp("$outdir/$name.row");
		chomp $row;
		my $mtime = (stat($crt))[9];
		if ($row eq $line && $mtime >= $ca_mtime && $mtime > $old) {
			$kept++;
			next;
		}
	}
	my $key = $keys{$keyfile} //= read_key($keyfile);
	my @names = split /,/, $sans;
	my $x = Net::SSLeay::X509_new();
	Net::SSLeay::X509_set_version($x, 2);
	my $serial = join '', map { sprintf '%02x', int(rand(256)) } 1 .. 16;
	$serial = '4' . substr($serial, 1);    # positive, 128 bits
	Net::SSLeay::P_ASN1_INTEGER_set_hex(Net::SSLeay::X509_get_serialNumber($x), $serial);
	Net::SSLeay::X509_gmtime_adj(Net::SSLeay::X509_get_notBefore($x), -86400);
	Net::SSLeay::X509_gmtime_adj(Net::SSLeay::X509_get_notAfter($x), 825 * 86400);
	my $subj = Net::SSLeay::X509_get_subject_name($x);
	Net::SSLeay::X509_NAME_add_entry_by_txt($subj, 'CN', Net::SSLeay::MBSTRING_UTF8(), $names[0]);
	Net::SSLeay::X509_set_issuer_name($x, Net::SSLeay::X509_get_subject_name($ca));
	Net::SSLeay::X509_set_pubkey($x, $key);
	my $ku = Net::SSLeay::EVP_PKEY_id($key) == Net::SSLeay::NID_rsaEncryption()
	    ? 'critical,digitalSignature,keyEncipherment' : 'critical,digitalSignature';
	Net::SSLeay::P_X509_add_extensions($x, $ca,
		&Net::SSLeay::NID_basic_constraints => 'critical,CA:FALSE',
		&Net::SSLeay::NID_key_usage => $ku,
		&Net::SSLeay::NID_ext_key_usage => 'serverAuth',
		&Net::SSLeay::NID_subject_key_identifier => 'hash',
		&Net::SSLeay::NID_authority_key_identifier => 'keyid:always',
		&Net::SSLeay::NID_subject_alt_name => join(',', map { "DNS:$_" } @names),
	) or die "mkcerts.pl: $name: extensions refused\n";
	my $digest = Net::SSLeay::EVP_get_digestbyname($md) or die "mkcerts.pl: $name: unknown digest $md\n";
	Net::SSLeay::X509_sign($x, $ca_key, $digest) or die "mkcerts.pl: $name: signing failed\n";
	my $pem = Net::SSLeay::PEM_get_string_X509($x);
	Net::SSLeay::X509_free($x);
	for my $f (["$crt.tmp", $pem], ["$outdir/$name.chain.pem.tmp", $pem . $ca_text],
		["$outdir/$name.row.tmp", "$line\n"]) {
		open(my $fh, '>', $f->[0]) or die "mkcerts.pl: $f->[0]: $!\n";
		print $fh $f->[1];
		close($fh) or die "mkcerts.pl: $f->[0]: $!\n";
	}
	rename("$crt.tmp", $crt);
	rename("$outdir/$name.chain.pem.tmp", "$outdir/$name.chain.pem");
	rename("$outdir/$name.row.tmp", "$outdir/$name.row");
	$made++;
}
print "$made made, $kept kept\n";
