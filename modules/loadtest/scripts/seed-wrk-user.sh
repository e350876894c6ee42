# Sourced by wrk-compare.sh and pair-compare.sh: seed_wrk_user BASE_URL registers wrk@example.com on a fresh server,
# puts it in general (joined at registration) and 19 more channels, fills the first of those with 1,000 messages, and
# sets WRK_TOKEN, WRK_CHANNEL (the history page's) and WRK_SEND_CHANNEL (the sends'). Needs RATE_LIMITS off on the
# server for logins and sends.
seed_wrk_user() {
  local base=$1 auth id i
  curl -sf "$base/api/auth/register" -H 'Content-Type: application/json' \
    -d '{"email":"wrk@example.com","password":"SecurePass123","name":"Wrk User"}' > /dev/null
  WRK_TOKEN=$(curl -sf "$base/api/auth/login" -H 'Content-Type: application/json' \
    -d '{"email":"wrk@example.com","password":"SecurePass123"}' | sed -n 's/.*"token":"\([^"]*\)".*/\1/p')
  auth="Authorization: Bearer $WRK_TOKEN"
  for i in $(seq 1 19); do
    id=$(curl -sf "$base/api/chat/channels" -H "$auth" -H 'Content-Type: application/json' \
      -d "{\"name\":\"wrk-$i\",\"type\":\"public\"}" | sed -n 's/.*"id":"\([^"]*\)".*/\1/p')
    [ "$i" = 1 ] && WRK_CHANNEL=$id
    [ "$i" = 2 ] && WRK_SEND_CHANNEL=$id
  done
  seq 1 1000 | xargs -P 8 -I{} curl -sf -o /dev/null "$base/api/chat/channels/$WRK_CHANNEL/messages/send" \
    -H "$auth" -H 'Content-Type: application/json' -d '{"content":"history message {}"}'
}
