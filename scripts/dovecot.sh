#!/usr/bin/env bash
# A private Dovecot IMAP server for the e-mail integration tests: loopback only, any user with one password,
# maildirs in a scratch folder. Usage: scripts/dovecot.sh start|stop|status|env
#   start   install Dovecot if missing (Debian/Ubuntu, as root), start it, print the IMAP_URL line to export
#   stop    stop it (the folder stays until the next start)
#   env     print the export line only
# Settings: IMAP_PORT (default 10143), DOVECOT_DIR (default $TMPDIR/support-ledger-dovecot).
set -euo pipefail

port="${IMAP_PORT:-10143}"
dir="${DOVECOT_DIR:-${TMPDIR:-/tmp}/support-ledger-dovecot}"
conf="$dir/dovecot.conf"
url="imap://support%40example.kz:secret@127.0.0.1:${port}"

answers() { (exec 3<>"/dev/tcp/127.0.0.1/$port" && head -c 4 <&3 | grep -q '^\* OK') 2>/dev/null; }

install_if_missing() {
  command -v dovecot >/dev/null 2>&1 && return 0
  if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then
    echo "Dovecot is missing; installing dovecot-imapd" >&2
    DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends dovecot-imapd >/dev/null ||
      { apt-get update >/dev/null && DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends dovecot-imapd >/dev/null; }
  else
    echo "Dovecot is not installed: run 'apt-get install dovecot-imapd' as root (Debian/Ubuntu)" >&2
    exit 1
  fi
}

write_config() {
  mkdir -p "$dir/run" "$dir/state" "$dir/mail"
  cat >"$conf" <<CONF
protocols = imap
listen = 127.0.0.1
base_dir = $dir/run
state_dir = $dir/state
log_path = $dir/dovecot.log
ssl = no
disable_plaintext_auth = no
auth_mechanisms = plain login
mail_location = maildir:$dir/mail/%u
passdb {
  driver = static
  args = password=secret
}
userdb {
  driver = static
  args = uid=nobody gid=nogroup home=$dir/mail/%u
}
service imap-login {
  inet_listener imap {
    address = 127.0.0.1
    port = $port
  }
}
default_login_user = nobody
default_internal_user = nobody
CONF
  chown -R nobody:nogroup "$dir/mail" 2>/dev/null || true
}

case "${1:-start}" in
  start)
    if answers; then
      echo "An IMAP server already answers on 127.0.0.1:$port" >&2
    else
      install_if_missing
      write_config
      # Detached from our output: a caller reading it (`$(scripts/dovecot.sh start)`) must not wait on the daemon.
      dovecot -c "$conf" </dev/null >/dev/null 2>&1
      for _ in $(seq 1 50); do answers && break; sleep 0.2; done
      answers || { echo "Dovecot did not come up on port $port; see $dir/dovecot.log" >&2; exit 1; }
      echo "Dovecot runs on 127.0.0.1:$port (config $conf)" >&2
    fi
    echo "export IMAP_URL='$url'"
    ;;
  stop)
    if [ -f "$conf" ]; then doveadm -c "$conf" stop 2>/dev/null || true; fi
    ;;
  status)
    if answers; then echo "up on 127.0.0.1:$port"; else echo "down"; exit 1; fi
    ;;
  env)
    echo "export IMAP_URL='$url'"
    ;;
  *)
    echo "usage: $0 start|stop|status|env" >&2
    exit 2
    ;;
esac
