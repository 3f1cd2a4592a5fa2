#!/usr/bin/env bash
# watchdog.sh <parent-pid> <postgres|rabbitmq> <instance-dir>
#
# Started detached (own session) by startPostgres / startRabbit. Checks every second that the
# parent process is still the one it was started for; once it is gone (normal exit, crash, SIGKILL)
# it stops exactly the server recorded in <instance-dir>/instance.pid ("<pid> <start-time>") and
# deletes <instance-dir>. stop() in the parent ends this script with SIGTERM instead.
# It never touches anything else: no other pids, no epmd, no system services.
set -u

parent=${1:?parent pid} kind=${2:?kind} dir=${3:?instance dir}
case "${dir##*/}" in datahub-*) ;; *) echo "watchdog: refusing to manage $dir" >&2; exit 2 ;; esac
case "$kind" in postgres | rabbitmq) ;; *) echo "watchdog: unknown kind $kind" >&2; exit 2 ;; esac

# Prints field 22 of /proc/<pid>/stat (start time); nothing when the process is gone or a zombie.
start_time() {
  local stat fields
  read -r stat 2>/dev/null <"/proc/$1/stat" || return 0
  read -r -a fields <<<"${stat##*) }"
  [[ ${fields[0]} == Z || ${fields[0]} == X ]] || echo "${fields[19]}"
}

alive() { [[ -n $2 && $(start_time "$1") == "$2" ]]; }

# wait_gone <pid> <start-time> <seconds>
wait_gone() {
  local i
  for ((i = 0; i < $3 * 10; i++)); do
    alive "$1" "$2" || return 0
    sleep 0.1
  done
  return 1
}

parent_started=$(start_time "$parent")
while alive "$parent" "$parent_started"; do
  [[ -d $dir ]] || exit 0 # stopped and deleted by its owner
  sleep 1
done

pid='' started=''
read -r pid started 2>/dev/null <"$dir/instance.pid"
if [[ $pid =~ ^[0-9]+$ ]] && alive "$pid" "$started"; then
  case "$kind" in
  postgres)
    # Fast shutdown: ends sessions and releases the server's shared memory.
    kill -INT "$pid"
    if ! wait_gone "$pid" "$started" 10; then
      pkill -KILL -P "$pid"
      kill -KILL "$pid"
    fi
    ;;
  rabbitmq)
    # The pid is rabbitmq-server's wrapper shell (a process group leader); it halts the VM gracefully.
    kill -TERM "$pid"
    wait_gone "$pid" "$started" 10 || kill -KILL -- "-$pid"
    ;;
  esac
fi
rm -rf -- "$dir"
