#!/bin/sh
# Creates what a secured cluster needs (README, "Cluster security"), with openssl only:
#   ca.pem / ca.key          the cluster CA (keep ca.key off the nodes; it only signs node certificates)
#   <node>.pem / <node>.key  one event-bus certificate per node, signed by the CA (CLUSTER_TLS_CERT / CLUSTER_TLS_KEY)
#   envelope.key             Ed25519 key that signs request envelopes: gateways only (ENVELOPE_PRIVATE_KEY)
#   envelope.pub             its public key: every node that runs services (ENVELOPE_PUBLIC_KEY)
# Usage: docker/cluster-certs.sh [directory] [node ...]   (defaults: docker/certs chat1 chat2 chat3)
# A node name may carry its address, name=10.0.0.5, which the certificate then also names. Existing CA and envelope
# keys are kept, so the script can add a node later; delete the directory to start over.
set -eu

dir=${1:-docker/certs}
[ $# -gt 0 ] && shift
[ $# -eq 0 ] && set -- chat1 chat2 chat3
days=${CERT_DAYS:-825}

mkdir -p "$dir"
umask 077

if [ ! -f "$dir/ca.key" ]; then
  openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes -days "$days" \
    -subj "/CN=connectbest-chat cluster CA" -addext "basicConstraints=critical,CA:TRUE" \
    -addext "keyUsage=critical,keyCertSign,cRLSign" -keyout "$dir/ca.key" -out "$dir/ca.pem" 2>/dev/null
  echo "created the cluster CA: $dir/ca.pem"
fi

for node in "$@"; do
  name=${node%%=*}
  san="DNS:$name,DNS:localhost,IP:127.0.0.1"
  [ "$name" != "$node" ] && san="$san,IP:${node#*=}"
  openssl req -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes -subj "/CN=$name" \
    -keyout "$dir/$name.key" -out "$dir/$name.csr" 2>/dev/null
  printf 'basicConstraints=CA:FALSE\nkeyUsage=critical,digitalSignature\nextendedKeyUsage=serverAuth,clientAuth\nsubjectAltName=%s\n' \
    "$san" > "$dir/$name.ext"
  openssl x509 -req -in "$dir/$name.csr" -CA "$dir/ca.pem" -CAkey "$dir/ca.key" -CAcreateserial -days "$days" \
    -extfile "$dir/$name.ext" -out "$dir/$name.pem" 2>/dev/null
  rm -f "$dir/$name.csr" "$dir/$name.ext"
  echo "created the certificate of $name: $dir/$name.pem ($san)"
done

if [ ! -f "$dir/envelope.key" ]; then
  openssl genpkey -algorithm ed25519 -out "$dir/envelope.key"
  openssl pkey -in "$dir/envelope.key" -pubout -out "$dir/envelope.pub"
  echo "created the envelope signing key: $dir/envelope.key (gateways) and $dir/envelope.pub (services)"
fi
chmod 644 "$dir"/*.pem "$dir/envelope.pub"
echo "Private keys are readable by $(id -un) only. The image runs as uid 10001: for docker compose, run"
echo "  sudo chown 10001 $dir/*.key   (or pass CERTS_UID=10001 to this script when run as root)"
if [ -n "${CERTS_UID:-}" ]; then
  chown "$CERTS_UID" "$dir"/*.key
fi
