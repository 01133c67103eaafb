# shellcheck shell=bash
# gen.sh: generated scan domains (sourced by lab/up). With `lab/up
# --scan-domains N` (or LAB_SCAN_DOMAINS=N) the lab also serves N domains,
# gen1.test to genN.test, for batch scans and their benchmark (bench/scan.sh):
# copies of a few scenarios (lab/gen/variants.tsv) on a few hundred web
# addresses of their own, sharing the scenarios' name servers (NSD sld1 and
# sld2), MX hosts and nginx. Off (N = 0, the default), nothing here runs and
# lab/up is what it always was. docs/lab.md, "Generated scan domains".
#
# What is made, and where:
#   state/run/gen-hosts.tsv    the web addresses: index, IPv4, IPv6 or "-",
#                              variant, certificate (lab/lib/net.sh adds them
#                              to nhsrv0)
#   state/run/gen-domains.tsv  the domains: name, address index, variant,
#                              IPv4, IPv6 or "-", sector
#   state/scan-domains.csv     the scan list: "gen17.test,variant=good,
#                              sector=health" (nethealth scan -i)
#   state/scan-domains.tsv     the same with what nethealth must find on each
#                              (expected web and mail scores, the scenarios
#                              it copies, its addresses)
#   state/gen/keys             the generated zones' one KSK and one ZSK
#                              (shared by every signed generated zone)
#   state/gen/pki              two keys (P-256, RSA-1024) and one certificate
#                              per web address, naming its domains
#   state/gen/zones            the zones, signed, reused for a day while
#                              their inputs stay the same
# Removed by lab/down (and by any lab/up): the two scan-domains files.

GEN_DIR=$LAB_DIR/gen
GEN=$STATE/gen
GEN_N=0
GEN_MAX=20000
SCAN_CSV=$STATE/scan-domains.csv
SCAN_TSV=$STATE/scan-domains.tsv
# The sectors given to the domains in turn (a tag for reports and demos).
GEN_SECTORS="health finance government education energy retail transport"

gen_on() { [ "$GEN_N" -gt 0 ]; }

# gen_set N: turn generation on for N domains (0: off).
gen_set() {
	case $1 in
	'' | *[!0-9]*) die "--scan-domains: '$1' is not a number" ;;
	esac
	GEN_N=$((10#$1))
	[ "$GEN_N" -le "$GEN_MAX" ] || die "--scan-domains: at most $GEN_MAX"
}

# gen_pool: the candidate web addresses, "IPv4<TAB>IPv6", in order:
# 203.0.113.100-249 and 198.51.100.101-253, then the rest of both /24s
# (1-99, 251-254), skipping every address hosts.tsv uses and the lab's
# reserved ones (the gateway, the client, the hermetic test's unassigned
# control 203.0.113.250): about 450. The IPv6 address is
# 2001:db8:0:5::<third octet>:<fourth octet>: a /64 no scenario uses.
gen_pool() {
	local used
	used=$(data_rows "$HOSTS_TSV" | cut -f2,3 | tr '\t' '\n')
	grep -qi '^2001:db8:0:5:' <<<"$used" &&
		die "hosts.tsv uses 2001:db8:0:5::/64, the generated domains' prefix"
	awk -v used="$used" -v gw="$SRV_GW4" -v cli="$CLI_ADDR4" '
		function out(n, h) {
			a = n "." h
			if (a in skip) return
			skip[a] = 1
			print a "\t2001:db8:0:5::" substr(n, length(n) - 2) ":" h
		}
		BEGIN {
			n = split(used, u, "\n")
			for (i = 1; i <= n; i++) skip[u[i]] = 1
			skip[gw] = skip[cli] = skip["203.0.113.250"] = 1
			for (h = 100; h <= 249; h++) out("203.0.113", h)
			for (h = 101; h <= 253; h++) out("198.51.100", h)
			for (h = 1; h <= 254; h++) { out("203.0.113", h); out("198.51.100", h) }
		}'
}

# gen_plan: the addresses and domains (state/run/gen-*.tsv) and the scan
# lists. Domain genI.test takes the variants in turn (a smooth weighted
# round robin over variants.tsv's weights). The web addresses (the pool, or
# the first LAB_SCAN_ADDRS of it) are shared out among the variants so that
# the busiest address carries as few connections as can be: each next
# address goes to the variant whose addresses carry the most (domains per
# address, rounded up, times its conns), until every variant has an address
# per domain or the pool is used up. A variant's domains then take its
# addresses in turn. Every address serves one variant (nginx applies some
# TLS settings per address, not per name).
gen_plan() {
	local max=${LAB_SCAN_ADDRS:-0}
	case $max in '' | *[!0-9]*) die "LAB_SCAN_ADDRS: '$max' is not a number" ;; esac
	mkdir -p "$GEN"
	[ -r "$GEN_DIR/variants.tsv" ] || die "no $GEN_DIR/variants.tsv"
	gen_pool | awk -F'\t' -v n="$GEN_N" -v max="$max" -v sectors="$GEN_SECTORS" \
		-v vt="$GEN_DIR/variants.tsv" -v hosts="$RUN/gen-hosts.tsv" \
		-v doms="$RUN/gen-domains.tsv" -v csv="$SCAN_CSV" -v tsv="$SCAN_TSV" '
		function fail(m) { print "gen.sh: " m > "/dev/stderr"; bad = 1; exit 1 }
		function load(v) { return int((count[v] + a[v] - 1) / a[v]) * cost[v] }
		{ v4[NR - 1] = $1; v6[NR - 1] = $2 }
		END {
			if (bad) exit 1
			pool = NR
			if (max > 0 && max < pool) pool = max
			nv = 0
			while ((getline line < vt) > 0) {
				if (line ~ /^[ \t]*(#|$)/) continue
				split(line, f, "\t")
				if (f[10] !~ /^[0-9]+$/ || f[11] !~ /^[0-9]+$/)
					fail("variants.tsv: " f[1] ": expected scores must be numbers")
				if (f[2] !~ /^[0-9]+$/ || f[3] !~ /^[1-9][0-9]*$/)
					fail("variants.tsv: " f[1] ": bad weight or conns")
				vn[++nv] = f[1]; var[f[1]] = line; w[f[1]] = f[2]; cost[f[1]] = f[3]
				tw += f[2]
			}
			if (tw != 20) fail("variants.tsv: the weights add up to " tw ", not 20")
			# The cycle of 20: smooth weighted round robin (nginx upstream style).
			for (c = 0; c < tw; c++) {
				best = ""
				for (j = 1; j <= nv; j++) {
					cur[vn[j]] += w[vn[j]]
					if (best == "" || cur[vn[j]] > cur[best]) best = vn[j]
				}
				cur[best] -= tw
				cycle[c] = best
			}
			for (i = 1; i <= n; i++) { dv[i] = cycle[(i - 1) % tw]; count[dv[i]]++ }
			used = 0
			for (j = 1; j <= nv; j++) if (count[vn[j]] > 0) { a[vn[j]] = 1; used++ }
			if (used > pool) fail("only " pool " web addresses for " used " variants")
			while (used < pool) {
				best = ""
				for (j = 1; j <= nv; j++) {
					v = vn[j]
					if (count[v] == 0 || a[v] >= count[v]) continue
					if (best == "" || load(v) > load(best)) best = v
				}
				if (best == "") break
				a[best]++
				used++
			}
			# Hand the pool out in a smooth round robin too, so that each
			# variant has addresses in both /24s.
			for (j = 1; j <= nv; j++) cur[vn[j]] = 0
			for (k = 0; k < used; k++) {
				best = ""
				for (j = 1; j <= nv; j++) {
					v = vn[j]
					if (got[v] >= a[v]) continue
					cur[v] += a[v]
					if (best == "" || cur[v] > cur[best]) best = v
				}
				cur[best] -= used
				addr[best, got[best]++] = k
				split(var[best], f, "\t")
				six[k] = f[5] == "yes" ? v6[k] : "-"
				printf "%d\t%s\t%s\t%s\t%s\t%s\ta%d\n", k, v4[k], six[k], best, f[6], f[7], k > hosts
			}
			ns = split(sectors, sec, " ")
			print "domain\tvariant\tsector\texpect_web\texpect_mail\tlike_web\tlike_mail\tipv4\tipv6" > tsv
			for (i = 1; i <= n; i++) {
				v = dv[i]
				k = addr[v, seen[v]++ % a[v]]
				split(var[v], f, "\t")
				d = "gen" i ".test"
				s = sec[(i - 1) % ns + 1]
				printf "%s\t%d\t%s\t%s\t%s\t%s\n", d, k, v, v4[k], six[k], s > doms
				printf "%s,variant=%s,sector=%s\n", d, v, s > csv
				printf "%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\n", d, v, s, f[10], f[11], f[8], f[9], v4[k], six[k] > tsv
			}
		}' || die "could not plan the generated domains"
}

# gen_pki: the two keys (made once), the TLSA 3 1 1 data of the P-256 one
# (GEN_TLSA), and one certificate per web address naming each of its domains
# and their www (lab/gen/mkcerts.pl: one process, remade only when the names
# change; P-256 keys signed with SHA-256, the RSA-1024 key with SHA-1, by the
# Issuing CA, like good.test's and legacy.test's).
gen_pki() {
	local p=$GEN/pki
	mkdir -p "$p"
	[ -s "$p/ec256.key" ] || new_key ec256 "$p/ec256.key"
	[ -s "$p/rsa1024.key" ] || new_key rsa1024 "$p/rsa1024.key"
	if [ ! -s "$p/ec256.tlsa311" ] || [ "$p/ec256.key" -nt "$p/ec256.tlsa311" ]; then
		openssl pkey -in "$p/ec256.key" -pubout -outform DER | sha256sum | cut -d' ' -f1 >"$p/ec256.tmp"
		mv "$p/ec256.tmp" "$p/ec256.tlsa311"
	fi
	read -r GEN_TLSA <"$p/ec256.tlsa311"
	awk -F'\t' -v p="$p" -v hosts="$RUN/gen-hosts.tsv" '
		BEGIN {
			while ((getline line < hosts) > 0) {
				split(line, h, "\t")
				key[h[1]] = h[6]
				cert[h[1]] = h[7]
				order[nh++] = h[1]
			}
		}
		{ names[$2] = names[$2] (names[$2] == "" ? "" : ",") $1 ",www." $1 }
		END {
			for (j = 0; j < nh; j++) {
				k = order[j]
				printf "%s\t%s/%s.key\t%s\t%s\n", cert[k], p, key[k],
					key[k] == "rsa1024" ? "sha1" : "sha256", names[k]
			}
		}' "$RUN/gen-domains.tsv" |
		perl "$GEN_DIR/mkcerts.pl" "$PKI/inter.pem" "$PKI/inter.key" "$p" >>"$LOGS/pki.log" 2>&1 ||
		die "lab/gen/mkcerts.pl failed (see $LOGS/pki.log)"
}

# gen_dnskeys: the KSK and ZSK of every signed generated zone (ldns-keygen,
# made once; the key files' owner name is a placeholder: the DNSKEY records
# go into each zone, ldns-signzone needs only the private halves). Sets
# GEN_KSK and GEN_ZSK (key base names in GEN/keys).
gen_dnskeys() {
	local k=$GEN/keys
	if [ ! -s "$k/ksk" ] || [ ! -s "$k/zsk" ]; then
		rm -rf "$k"
		mkdir -p "$k"
		(
			cd "$k" &&
				ldns-keygen -a ECDSAP256SHA256 -k gen.invalid >ksk.new &&
				ldns-keygen -a ECDSAP256SHA256 gen.invalid >zsk &&
				mv ksk.new ksk
		) || die "ldns-keygen failed"
	fi
	read -r GEN_KSK <"$k/ksk"
	read -r GEN_ZSK <"$k/zsk"
}

# gen_zones: every generated zone, signed, into GEN/zones (reused, like a
# scenario zone, while its inputs are the same and it was signed in the
# last day); the delegations for test. (DNS/tmp/gen.deleg) and the zone
# list for the NSD instances (DNS/tmp/gen.nsd). Rendering is one awk, the
# signing one ldns-signzone per signed zone, four at a time (about 3 ms a
# zone: dnssec-signzone takes 30), the DS records one perl (Digest::SHA).
gen_zones() {
	local z=$GEN/zones fp old=
	gen_dnskeys
	fp=$({
		cat "$RUN/gen-domains.tsv" "$GEN_DIR/variants.tsv" "$GEN_DIR"/zones/*.zone \
			"${BASH_SOURCE[0]}" "$GEN/keys/$GEN_KSK.key" "$GEN/keys/$GEN_ZSK.key"
		echo "$GEN_TLSA"
	} | sha256sum)
	[ -s "$z/fp" ] && read -r old <"$z/fp"
	if [ "$old" != "$fp" ] || [ ! "$z/fp" -nt "$DNS/tmp/stale" ] || [ "$z/fp" -nt "$DNS/tmp/now" ]; then
		rm -rf "$z"
		mkdir -p "$z/src"
		gen_render "$z"
		if [ -s "$z/signed.list" ]; then
			xargs -P 4 -I{} -a "$z/signed.list" ldns-signzone -o {} -f "$z/{}.db" \
				"$z/src/{}.zone" "$GEN/keys/$GEN_KSK" "$GEN/keys/$GEN_ZSK" \
				>"$z/sign.log" 2>&1 || {
				tail -n 20 "$z/sign.log" >&2
				die "ldns-signzone failed on a generated zone (see $z/sign.log)"
			}
			gen_ds <"$z/signed.list" >>"$z/deleg" || die "no DS records for the generated zones"
		fi
		rm -rf "$z/src"
		echo "$fp" >"$z/fp"
	fi
	cp "$z/deleg" "$DNS/tmp/gen.deleg"
	awk -F'\t' -v z="$z" '{ printf "zone:\n\tname: \"%s.\"\n\tzonefile: \"%s/%s.db\"\n", $1, z, $1 }' \
		"$RUN/gen-domains.tsv" >"$DNS/tmp/gen.nsd"
}

# gen_render DIR: each domain's zone from its variant's template
# (lab/gen/zones/<variant>.zone): unsigned ones straight into DIR/<name>.db,
# signed ones, with the shared DNSKEY records, into DIR/src/<name>.zone
# (their names in DIR/signed.list); the NS records of each into DIR/deleg.
gen_render() {
	local d=$1
	awk -F'\t' -v d="$d" -v gd="$GEN_DIR" -v vt="$GEN_DIR/variants.tsv" \
		-v serial="$SERIAL" -v tlsa="$GEN_TLSA" \
		-v dnskeys="$(cat "$GEN/keys/$GEN_KSK.key" "$GEN/keys/$GEN_ZSK.key")" '
		BEGIN {
			n = split(dnskeys, kl, "\n")
			for (i = 1; i <= n; i++) {
				if (kl[i] !~ /DNSKEY/) continue
				sub(/^[^ \t]+/, "@", kl[i])
				sub(/[ \t]*;.*/, "", kl[i])
				keys = keys kl[i] "\n"
			}
			while ((getline line < vt) > 0) {
				if (line ~ /^[ \t]*(#|$)/) continue
				split(line, f, "\t")
				signing[f[1]] = f[4]
				tf = gd "/zones/" f[1] ".zone"
				t = ""; nsl = ""
				while ((getline l < tf) > 0) {
					if (l ~ /^[ \t]*;/) continue
					t = t l "\n"
					if (l ~ /^@[ \t]+NS[ \t]/) { sub(/^@[ \t]+NS[ \t]+/, "", l); nsl = nsl " " l }
				}
				close(tf)
				if (t == "") { print "gen.sh: no template " tf > "/dev/stderr"; exit 1 }
				tpl[f[1]] = t
				ns[f[1]] = nsl
			}
		}
		{
			s = tpl[$3]
			gsub(/@NAME@/, $1, s); gsub(/@SERIAL@/, serial, s)
			gsub(/@V4@/, $4, s); gsub(/@V6@/, $5, s); gsub(/@TLSA@/, tlsa, s)
			m = split(ns[$3], nn, " ")
			for (i = 1; i <= m; i++) print $1 ". NS " nn[i] > (d "/deleg")
			if (signing[$3] == "nsec") {
				out = d "/src/" $1 ".zone"
				printf "%s%s", s, keys > out
				print $1 > (d "/signed.list")
			} else {
				out = d "/" $1 ".db"
				printf "%s", s > out
			}
			close(out)
		}' "$RUN/gen-domains.tsv" || die "could not render the generated zones"
}

# gen_ds: the DS record (SHA-256) of the shared KSK for each zone name read
# from stdin: the digest covers the owner name, so each zone has its own.
gen_ds() {
	local rr
	rr=$(grep -v '^;' "$GEN/keys/$GEN_KSK.key" | grep DNSKEY)
	# shellcheck disable=SC2016 # perl code
	perl -MDigest::SHA=sha256_hex -MMIME::Base64 -e '
		my @f = split /\s+/, $ARGV[0];
		my ($flags, $proto, $alg, $b64) = @f[3 .. 6];
		my $rdata = pack("nCC", $flags, $proto, $alg) . decode_base64($b64);
		my @w = unpack("n*", length($rdata) % 2 ? $rdata . "\0" : $rdata);
		my $ac = 0; $ac += $_ for @w; $ac += ($ac >> 16) & 0xffff;
		my $tag = $ac & 0xffff;
		while (my $z = <STDIN>) {
			chomp $z;
			my $wire = join("", map { chr(length $_) . lc $_ } split /\./, $z) . "\0";
			printf "%s. DS %d %d 2 %s\n", $z, $tag, $alg, sha256_hex($wire . $rdata);
		}' "$rr"
}

# gen_web: the generated domains' nginx servers (NGINX/sites/zz-gen.conf):
# one per web address from its variant's template (lab/gen/web/), and one
# port-80 redirect server for every address whose template has no port 80;
# their sockets into state/run/listeners. nginx then has about 1,300
# listening sockets (each takes a connection slot in each worker): the
# worker connection limit goes up.
gen_web() {
	local expires
	expires=$(date -u -d '+182 days' +%Y-%m-%dT%H:%M:%SZ)
	awk -F'\t' -v gd="$GEN_DIR" -v p="$GEN/pki" -v state="$STATE" -v lab="$LAB_DIR" \
		-v expires="$expires" -v doms="$RUN/gen-domains.tsv" '
		function br(a) { return a ~ /:/ ? "[" a "]" : a }
		BEGIN {
			while ((getline line < doms) > 0) {
				split(line, f, "\t")
				names[f[2]] = names[f[2]] (names[f[2]] == "" ? "" : " ") f[1] " www." f[1]
			}
			print "# zz-gen.conf: the generated scan domains (lab/lib/gen.sh; made by lab/up)."
		}
		{
			k = $1; web = $5
			if (!(web in tpl)) {
				tf = gd "/web/" web ".conf"
				t = ""
				while ((getline l < tf) > 0) if (l !~ /^[ \t]*#/) t = t l "\n"
				close(tf)
				if (t == "") { print "gen.sh: no template " tf > "/dev/stderr"; exit 1 }
				tpl[web] = t
			}
			addrs = br($2) ($3 == "-" ? "" : " " br($3))
			na = split(addrs, aa, " ")
			nl = split(tpl[web], lines, "\n")
			printf "# address %d: variant %s\n", k, $4
			has80 = 0
			for (i = 1; i < nl; i++) {
				l = lines[i]
				gsub(/@NAMES@/, names[k], l)
				gsub(/@CERT@/, p "/" $7 ".chain.pem", l)
				gsub(/@KEY@/, p "/" $6 ".key", l)
				gsub(/@STATE@/, state, l); gsub(/@LAB@/, lab, l); gsub(/@EXPIRES@/, expires, l)
				if (l ~ /@ADDR@/) {
					if (l ~ /@ADDR@:80;/) has80 = 1
					for (j = 1; j <= na; j++) { m = l; gsub(/@ADDR@/, aa[j], m); print m }
				} else print l
			}
			if (!has80) for (j = 1; j <= na; j++) redirect = redirect "\tlisten " aa[j] ":80;\n"
		}
		END {
			if (redirect == "") exit 0
			print "# port 80 of the addresses above without their own: a redirect to HTTPS (like web-modern)"
			printf "server {\n%s\tserver_name _;\n\tserver_tokens off;\n\treturn 301 https://$host$request_uri;\n}\n", redirect
		}' "$RUN/gen-hosts.tsv" >"$NGINX/sites/zz-gen.conf" || die "could not write the generated nginx servers"
	sed -i -e 's/^\([[:space:]]*worker_connections\)[[:space:]].*;/\1 16384;/' \
		-e 's/^worker_processes .*/&\nworker_rlimit_nofile 40000;/' "$NGINX/nginx.conf"
	grep -q 'worker_connections 16384;' "$NGINX/nginx.conf" ||
		die "gen.sh: could not raise worker_connections in $NGINX/nginx.conf"
	nginx_listeners "$NGINX/sites/zz-gen.conf" | sort -u >>"$RUN/listeners"
}

# gen_up_pki, gen_up_web: lab/up's steps (no-ops when generation is off).
gen_up_pki() {
	rm -f "$SCAN_CSV" "$SCAN_TSV"
	gen_on || return 0
	gen_plan
	gen_pki
}
gen_up_web() {
	gen_on || return 0
	gen_web
}
