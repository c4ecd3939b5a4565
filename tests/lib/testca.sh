# testca.sh - sourced by the labs (postfix-lab.sh, exim-lab.sh): a test CA
# and a certificate for mx.test.example signed by it, never run.
#
#   testca_make DIR     writes DIR/ca.pem, ca.key, server.pem, server.key
#                       (keys mode 600; a lab changes what its server needs)
#
# Two variables widen the server's certificate for tests/lib/policylab.sh,
# whose one Postfix is the MX of many test domains; unset, nothing changes:
#   TESTCA_NAMES   more DNS names for its subjectAltName (space-separated),
#                  after mx.test.example (which stays the subject's CN)
#   TESTCA_CHAIN   when "yes", server.pem is the certificate followed by the
#                  CA's: a DANE-TA(2) record with a digest (2 1 1) matches
#                  only a trust anchor the server sends in its chain
#                  (RFC 7671 §5.2.2)

testca_make() {
	local d=$1 san=DNS:mx.test.example n
	for n in ${TESTCA_NAMES:-}; do san="$san,DNS:$n"; done
	openssl req -x509 -newkey rsa:2048 -nodes -days 365 -sha256 \
		-subj "/CN=smtprobe test CA" -keyout "$d/ca.key" -out "$d/ca.pem" \
		-addext "basicConstraints=critical,CA:TRUE" \
		-addext "keyUsage=critical,keyCertSign,cRLSign" 2>/dev/null
	openssl req -newkey rsa:2048 -nodes -subj "/CN=mx.test.example" \
		-keyout "$d/server.key" -out "$d/server.csr" 2>/dev/null
	printf 'subjectAltName=%s\nextendedKeyUsage=serverAuth\nbasicConstraints=CA:FALSE\n' "$san" >"$d/ext.cnf"
	openssl x509 -req -in "$d/server.csr" -CA "$d/ca.pem" -CAkey "$d/ca.key" \
		-CAcreateserial -days 365 -sha256 -extfile "$d/ext.cnf" -out "$d/server.pem" 2>/dev/null
	[ "${TESTCA_CHAIN:-}" != yes ] || cat "$d/ca.pem" >>"$d/server.pem"
	chmod 600 "$d/server.key" "$d/ca.key"
}
