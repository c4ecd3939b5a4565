# testca.sh - sourced by the labs (postfix-lab.sh, exim-lab.sh): a test CA
# and a certificate for mx.test.example signed by it, never run.
#
#   testca_make DIR [NAME]  writes DIR/ca.pem, ca.key, server.pem, server.key,
#                       the server's certificate for NAME (default
#                       mx.test.example; keys mode 600; a lab changes what
#                       its server needs)

testca_make() {
	local d=$1 name=${2:-mx.test.example}
	openssl req -x509 -newkey rsa:2048 -nodes -days 365 -sha256 \
		-subj "/CN=smtprobe test CA" -keyout "$d/ca.key" -out "$d/ca.pem" \
		-addext "basicConstraints=critical,CA:TRUE" \
		-addext "keyUsage=critical,keyCertSign,cRLSign" 2>/dev/null
	openssl req -newkey rsa:2048 -nodes -subj "/CN=$name" \
		-keyout "$d/server.key" -out "$d/server.csr" 2>/dev/null
	printf 'subjectAltName=DNS:%s\nextendedKeyUsage=serverAuth\nbasicConstraints=CA:FALSE\n' "$name" >"$d/ext.cnf"
	openssl x509 -req -in "$d/server.csr" -CA "$d/ca.pem" -CAkey "$d/ca.key" \
		-CAcreateserial -days 365 -sha256 -extfile "$d/ext.cnf" -out "$d/server.pem" 2>/dev/null
	chmod 600 "$d/server.key" "$d/ca.key"
}
