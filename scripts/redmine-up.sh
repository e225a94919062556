#!/usr/bin/env bash
# A real Redmine for the Redmine adapter's tests and examples: installs Debian's package (sqlite, served by thin),
# configures it (REST on, login required, a known admin key, the ledger's custom fields, a customer role) and
# starts it. Run as root; safe to run again. Prints the variables the tests read.
#
#   scripts/redmine-up.sh            install if needed, configure, start on $REDMINE_PORT (default 3000)
#   scripts/redmine-up.sh stop       stop the server this script started
#   scripts/redmine-up.sh start      start it again as configured (no install, no configuration)
#
# Environment: REDMINE_PORT (3000), REDMINE_API_KEY (the admin's key to set; a fixed test key by default).
set -euo pipefail
# Rails reads DATABASE_URL before database.yml: the ledger's PostgreSQL URL must not reach Redmine (it runs on sqlite).
unset DATABASE_URL

port="${REDMINE_PORT:-3000}"
key="${REDMINE_API_KEY:-5e1f0c0a9d3b47b2a1c4e7f8d6b5a3c2e1f0a9b8}"
share=/usr/share/redmine
run_dir=/var/lib/redmine/default/run-$port
pid_file="$run_dir/thin.pid"
log_file="$run_dir/thin.log"

# Whether anything listens on the port (a stopping thin closes its listener before it exits).
listening() { ss -Hltn "sport = :$port" 2>/dev/null | grep -q .; }

stop() {
  if [ -f "$pid_file" ]; then
    pid=$(cat "$pid_file")
    # INT, not TERM: on TERM thin stops gracefully, waiting up to 30 s for the connections it is serving, and a start
    # in that window finds the port taken. INT drops them at once, as a server that goes away does.
    if kill -0 "$pid" 2>/dev/null; then kill -INT "$pid"; fi
    for _ in $(seq 1 40); do kill -0 "$pid" 2>/dev/null || break; sleep 0.25; done
    if kill -0 "$pid" 2>/dev/null; then
      echo "thin ($pid) did not stop on INT in 10 s; killing it" >&2
      kill -KILL "$pid" 2>/dev/null || true
      for _ in $(seq 1 20); do kill -0 "$pid" 2>/dev/null || break; sleep 0.25; done
    fi
    rm -f "$pid_file"
  fi
}

# The status of the admin's request for itself: 200 once Redmine is up with this script's configuration.
status() { curl -s -o /dev/null -w '%{http_code}' -H "X-Redmine-API-Key: $key" "http://127.0.0.1:$port/users/current.json" || true; }

# The end of thin's log, for a start that failed: the reason is there, not in the status code.
log_tail() { echo "--- last lines of $log_file:" >&2; tail -n 30 "$log_file" >&2 2>/dev/null || true; }

start() {
  mkdir -p "$run_dir"
  chown www-data:www-data "$run_dir"
  # A pid file left by a server that died without removing it would read as this start's server having exited.
  if [ -f "$pid_file" ] && ! kill -0 "$(cat "$pid_file")" 2>/dev/null; then rm -f "$pid_file"; fi
  # Only what thin logs from here on tells about this start.
  log_from=$(stat -c %s "$log_file" 2>/dev/null || echo 0)
  if [ -f "$pid_file" ]; then
    echo "Redmine already runs on port $port (pid $(cat "$pid_file")); waiting for it to answer" >&2
  else
    for _ in $(seq 1 40); do listening || break; sleep 0.25; done
    if listening; then
      # A server this script did not start (no pid file) that answers the admin's key is taken as it is.
      if [ "$(status)" = 200 ]; then
        echo "a Redmine not started by this script answers on port $port; using it" >&2
        return 0
      fi
      echo "port $port is taken by another process; Redmine cannot start there" >&2
      ss -ltnp "sport = :$port" >&2 || true
      return 1
    fi
    # thin daemonises itself; its pid goes to a file so `stop` ends exactly this server.
    su -s /bin/sh www-data -c "cd $share && REDMINE_INSTANCE=default RAILS_ENV=production setsid bundle exec thin start -R config.ru \
      -a 127.0.0.1 -p $port -e production -P $pid_file -l $log_file -d" >/dev/null
  fi
  # Rails boots in a few seconds on an idle machine; a loaded one (every package's tests at once) takes longer.
  code=000 started=
  for _ in $(seq 1 240); do
    code=$(status)
    [ "$code" = 200 ] && return 0
    # A thin that has exited (its pid file written, then gone or dead, or its log saying so) will not answer: say so
    # now, with its log.
    if [ -f "$pid_file" ]; then started=1; fi
    if { [ -n "$started" ] && { [ ! -f "$pid_file" ] || ! kill -0 "$(cat "$pid_file" 2>/dev/null)" 2>/dev/null; }; } ||
      tail -c "+$((log_from + 1))" "$log_file" 2>/dev/null | grep -q 'Exiting!'; then
      echo "Redmine's thin exited before answering on port $port (last status $code)" >&2
      log_tail
      return 1
    fi
    sleep 0.5
  done
  echo "Redmine did not answer on port $port in 120 s (last status $code)" >&2
  log_tail
  return 1
}

case "${1:-}" in
  stop) stop; exit 0 ;;
  start) start; exit $? ;;
esac

if [ "$(id -u)" != 0 ]; then
  echo "redmine-up.sh installs packages and must run as root" >&2
  exit 1
fi

# 1. Install: debconf preseeded so that apt asks nothing; the package migrates and loads the default data itself.
if ! dpkg -s redmine-sqlite thin >/dev/null 2>&1; then
  echo "Installing Debian's Redmine (sqlite) and thin"
  debconf-set-selections <<'EOF'
redmine redmine/current-instances string default
redmine redmine/instances/default/dbconfig-install boolean true
redmine redmine/instances/default/database-type select sqlite3
redmine redmine/instances/default/default-language string en
EOF
  # A purge leaves dbconfig-common's records behind, and a reinstall then skips making the database.
  if ! dpkg -s redmine >/dev/null 2>&1; then rm -rf /var/lib/dbconfig-common/sqlite3/redmine /etc/dbconfig-common/redmine; fi
  apt-get -o DPkg::Lock::Timeout=600 update -q
  DEBIAN_FRONTEND=noninteractive apt-get -o DPkg::Lock::Timeout=600 install -y -q --no-install-recommends redmine redmine-sqlite thin
fi

# 2. Configure through Rails: settings, keys, custom fields and roles cannot all be made over the REST API.
config=$(mktemp --suffix=.rb)
trap 'rm -f "$config"' EXIT
chmod 644 "$config"
cat >"$config" <<RUBY
Setting.rest_api_enabled = '1'
Setting.login_required = '1'
admin = User.find_by_login('admin')
admin.update_columns(must_change_passwd: false)
token = Token.find_by(user_id: admin.id, action: 'api') || Token.create!(user: admin, action: 'api')
token.update_column(:value, '$key')

# The ledger's key on every issue it creates or imports: a string field, filterable, on every project and tracker.
unless IssueCustomField.find_by(name: 'Ledger key')
  IssueCustomField.create!(name: 'Ledger key', field_format: 'string', is_filter: true, searchable: true,
                           is_for_all: true, visible: true, editable: true, trackers: Tracker.all)
end
# How a customer agrees or rejects a proposed deadline (the reason goes in the note beside it).
unless IssueCustomField.find_by(name: 'Deadline agreement')
  IssueCustomField.create!(name: 'Deadline agreement', field_format: 'list', possible_values: ['Agreed', 'Rejected'],
                           is_filter: true, is_for_all: true, visible: true, editable: true, trackers: Tracker.all)
end
# What kind of request an issue is, where the tracker alone does not say.
unless IssueCustomField.find_by(name: 'Request kind')
  IssueCustomField.create!(name: 'Request kind', field_format: 'list', is_filter: true, is_for_all: true, visible: true,
                           editable: true, trackers: Tracker.all,
                           possible_values: %w[consultation defect configuration performance database-migration
                                               test-stand archiving backup-sync modernization])
end

# The customer's role: files, comments, changes priority and the agreement field, closes (accepts) or sends back
# (rejects) a resolved issue. Its workflow is the Reporter's.
customer = Role.find_by(name: 'Customer') || Role.create!(name: 'Customer', issues_visibility: 'all', assignable: false,
  permissions: [:view_issues, :add_issues, :edit_issues, :add_issue_notes, :view_private_notes])
reporter = Role.find_by(name: 'Reporter')
if WorkflowTransition.where(role_id: customer.id).none? && reporter
  WorkflowTransition.where(role_id: reporter.id).each do |w|
    WorkflowTransition.create!(tracker_id: w.tracker_id, role_id: customer.id, old_status_id: w.old_status_id, new_status_id: w.new_status_id)
  end
end

# Two people the tests act as (the admin switches to them): the supplier's sync account and a customer.
[['ledger', 'Ledger', 'Sync'], ['aigerim', 'Айгерим', 'Сапарова']].each do |login, first, last|
  next if User.find_by_login(login)
  u = User.new(firstname: first, lastname: last, mail: "#{login}@example.test", language: 'en')
  u.login = login
  u.password = u.password_confirmation = 'ledger-test-password'
  u.save!
end
puts "configured: trackers=#{Tracker.count} statuses=#{IssueStatus.count} custom_fields=#{IssueCustomField.count}"
RUBY

stop
mkdir -p "$run_dir"
chown www-data:www-data "$run_dir"
cd "$share"
su -s /bin/sh www-data -c "REDMINE_INSTANCE=default RAILS_ENV=production bundle exec rails runner -e production $config"

# 3. Start thin.
start
echo "Redmine is up"
echo "export REDMINE_URL=http://127.0.0.1:$port REDMINE_API_KEY=$key"
