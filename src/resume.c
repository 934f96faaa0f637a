/* rampart resume: thaw a paused container. */
#include "config-host.h"

#include "cgroup.h"
#include "cleanup.h"
#include "cli.h"
#include "state.h"

int cmd_resume(struct rp_globals *g, int argc, char **argv)
{
	const struct cli_option opts[] = { { 0 } };
	_cleanup_free_ char **pos = NULL;
	_cleanup_close_ int lock = -1;
	struct rp_state st = { 0 };
	struct rp_cgroup *cg = NULL;
	rp_err_t err = NULL;
	int npos = 0, r = 1;

	if (cli_parse(argc, argv, opts, "resume CONTAINER_ID",
		      "Thaw every process of a paused container.", &pos, &npos, &err) < 0)
		return cli_fail(&err);
	if (npos != 1) {
		rp_error(&err, 0, "resume: expected one container id, got %d arguments", npos);
		return cli_fail(&err);
	}
	if (rp_validate_id(pos[0], &err) < 0 || (lock = rp_state_lock(g->root, pos[0], &err)) < 0 ||
	    rp_cgroup_open_container(g->root, pos[0], &st, &cg, &err) < 0)
		goto out;
	if (st.status != RP_PAUSED) {
		rp_error(&err, 0, "container \"%s\" is not paused (%s)", st.id,
			 rp_status_name(st.status));
		goto out;
	}
	if (rp_cgroup_freeze(cg, false, &err) < 0)
		goto out;
	r = 0;
out:
	rp_cgroup_free(cg);
	rp_state_clear(&st);
	return r ? cli_fail(&err) : 0;
}
