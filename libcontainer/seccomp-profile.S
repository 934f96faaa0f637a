/* The default seccomp profile, seccomp-profiles/default.json, compiled into
 * the binary so that a missing or edited installed copy can never weaken a
 * container.  The installed copy is for people to read, diff and reuse. */
	.section .rodata
	.global rp_seccomp_default_json
	.type rp_seccomp_default_json, @object
	.balign 16
rp_seccomp_default_json:
	.incbin "seccomp-profiles/default.json"
	.byte 0
	.size rp_seccomp_default_json, . - rp_seccomp_default_json
	.section .note.GNU-stack,"",@progbits
