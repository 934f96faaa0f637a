# bash completion for rampart.  Commands and options come from rampart's own
# --help output, so the completion never disagrees with the binary.
# Installed as $(datadir)/bash-completion/completions/rampart.

# Print the option names (long and short) of `rampart [CMD] --help`.
_rampart_options()
{
	"$1" ${2:+"$2"} --help 2>/dev/null |
		sed -n '/^Options:/,$p' | cut -c1-31 |
		grep -oE '(^|[ ,])--?[a-zA-Z][a-zA-Z0-9-]*' | tr -d ' ,'
}

# Options that take a value: their help line shows an uppercase metavar.
_rampart_takes_value()
{
	"$1" ${2:+"$2"} --help 2>/dev/null |
		cut -c1-31 | grep -qE "(^|[ ,])$3 [A-Z]"
}

_rampart_commands()
{
	"$1" --help 2>/dev/null | sed -n '/^Commands:/,/^$/p' | awk 'NR > 1 && NF { print $1 }'
}

_rampart_containers()
{
	local root=/run/rampart i
	for ((i = 1; i < COMP_CWORD; i++)); do
		case "${COMP_WORDS[i]}" in
		--root | -root) root="${COMP_WORDS[i + 1]}" ;;
		--root=* | -root=*) root="${COMP_WORDS[i]#*=}" ;;
		esac
	done
	"$1" --root "$root" list -q 2>/dev/null
}

_rampart()
{
	local bin="${COMP_WORDS[0]}" cur="${COMP_WORDS[COMP_CWORD]}" prev="${COMP_WORDS[COMP_CWORD - 1]}"
	local cmd="" i w

	# The command is the first word that is neither an option nor the value
	# of a global option.
	for ((i = 1; i < COMP_CWORD; i++)); do
		w="${COMP_WORDS[i]}"
		if [[ "$w" == -* ]]; then
			[[ "$w" != *=* ]] && _rampart_takes_value "$bin" "" "$w" && ((i++))
			continue
		fi
		cmd="$w"
		break
	done

	if [[ "$prev" == -* && "$cur" != -* ]] && _rampart_takes_value "$bin" "$cmd" "$prev"; then
		case "$prev" in
		--log-format) COMPREPLY=($(compgen -W "text json" -- "$cur")) ;;
		--format | -f) COMPREPLY=($(compgen -W "table json text sarif" -- "$cur")) ;;
		--cgroup-manager) COMPREPLY=($(compgen -W "cgroupfs systemd disabled" -- "$cur")) ;;
		--rootless) COMPREPLY=($(compgen -W "true false auto" -- "$cur")) ;;
		--policy) COMPREPLY=($(compgen -W "hardened compat" -- "$cur") $(compgen -f -- "$cur")) ;;
		--bundle | -b | --root) COMPREPLY=($(compgen -d -- "$cur")) ;;
		*) COMPREPLY=($(compgen -f -- "$cur")) ;;
		esac
		return
	fi

	if [[ "$cur" == -* ]]; then
		COMPREPLY=($(compgen -W "$(_rampart_options "$bin" "$cmd")" -- "$cur"))
		return
	fi
	case "$cmd" in
	"") COMPREPLY=($(compgen -W "$(_rampart_commands "$bin")" -- "$cur")) ;;
	help) COMPREPLY=($(compgen -W "$(_rampart_commands "$bin")" -- "$cur")) ;;
	create | run | spec | features | audit | list) COMPREPLY=() ;;
	*) COMPREPLY=($(compgen -W "$(_rampart_containers "$bin")" -- "$cur")) ;;
	esac
}

complete -o default -F _rampart rampart
