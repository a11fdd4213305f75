/* mp-trace-sql - a CTF trace (LTTng's) into an SQLite database: every event
 * once, for every tool that reads the trace and for a student's own SQL.
 *
 * usage: mp-trace-sql OUT.sqlite SUBTRACE...
 *        mp-trace-sql --tsv DB.sqlite < PLAN   (events.tsv's rows: tsv.c)
 *        mp-trace-sql --json-messages DB.sqlite < PLAN   (json.c)
 *        mp-trace-sql --crowds DB.sqlite < PLAN   (density bands: crowds.c)
 *        mp-trace-sql --gaps DB.sqlite < PLAN   (idle stretches: gaps.c)
 *        mp-trace-sql --version
 *
 * A SUBTRACE is a directory with a `metadata` file (LTTng writes one per
 * user or per process).  They are read together, with libbabeltrace2: a
 * source.ctf.fs component for each, through a utils.muxer (time order),
 * into a sink of our own that writes each event into the table of its name
 * (layout.c says the layout; docs/trace-sql.md shows it to students).  What
 * the Python bindings would take seconds to hand over field by field is
 * written here at the speed of `babeltrace2 TRACE > /dev/null`.
 *
 * The Python reader (scripts/mptrace/read/) runs this, under a time limit,
 * after its own damage checks; it reads the sub-traces one by one when
 * reading them together fails, and falls back to the bindings on status 3.
 *
 * Exit status: 0 written; 1 babeltrace2 could not read the trace (its most
 * specific complaint on stderr, in one line); 2 bad usage, or OUT exists;
 * 3 a field of a type this does not convert; 4 the database could not be
 * written.  On failure OUT is removed.
 */
#include "sql.h"

#include <stdio.h>
#include <string.h>
#include <unistd.h>

struct run {
	bt_message_iterator *it;
	struct db *db;
	int status;             /* ours: 0, or why we stopped the graph */
};

static bt_graph_simple_sink_component_initialize_func_status
sink_init(bt_message_iterator *it, void *data)
{
	((struct run *)data)->it = it;
	return BT_GRAPH_SIMPLE_SINK_COMPONENT_INITIALIZE_FUNC_STATUS_OK;
}

static int message(struct run *run, const bt_message *m)
{
	switch (bt_message_get_type(m)) {
	case BT_MESSAGE_TYPE_EVENT: {
		int64_t ns;
		const bt_clock_snapshot *cs =
			bt_message_event_borrow_default_clock_snapshot_const(m);
		if (bt_clock_snapshot_get_ns_from_origin(cs, &ns) !=
		    BT_CLOCK_SNAPSHOT_GET_NS_FROM_ORIGIN_STATUS_OK) {
			fprintf(stderr, "mp-trace-sql: an event's time does not "
				"fit in 64 bits of ns\n");
			return EXIT_READ;
		}
		int status = db_event(run->db, bt_message_event_borrow_event_const(m),
				      ns);
		if (status)
			fprintf(stderr, "mp-trace-sql: %s\n", db_error(run->db));
		return status;
	}
	case BT_MESSAGE_TYPE_DISCARDED_EVENTS: {
		uint64_t n;
		if (bt_message_discarded_events_get_count(m, &n) ==
		    BT_PROPERTY_AVAILABILITY_AVAILABLE)
			db_discarded(run->db, n);
		return 0;
	}
	default:
		return 0;
	}
}

static bt_graph_simple_sink_component_consume_func_status
sink_consume(bt_message_iterator *unused, void *data)
{
	struct run *run = data;
	bt_message_array_const msgs;
	uint64_t count;

	switch (bt_message_iterator_next(run->it, &msgs, &count)) {
	case BT_MESSAGE_ITERATOR_NEXT_STATUS_OK:
		break;
	case BT_MESSAGE_ITERATOR_NEXT_STATUS_END:
		return BT_GRAPH_SIMPLE_SINK_COMPONENT_CONSUME_FUNC_STATUS_END;
	case BT_MESSAGE_ITERATOR_NEXT_STATUS_AGAIN:
		return BT_GRAPH_SIMPLE_SINK_COMPONENT_CONSUME_FUNC_STATUS_AGAIN;
	case BT_MESSAGE_ITERATOR_NEXT_STATUS_MEMORY_ERROR:
		return BT_GRAPH_SIMPLE_SINK_COMPONENT_CONSUME_FUNC_STATUS_MEMORY_ERROR;
	default:
		return BT_GRAPH_SIMPLE_SINK_COMPONENT_CONSUME_FUNC_STATUS_ERROR;
	}
	for (uint64_t i = 0; i < count; i++) {
		if (!run->status)
			run->status = message(run, msgs[i]);
		bt_message_put_ref(msgs[i]);
	}
	if (!run->status)
		return BT_GRAPH_SIMPLE_SINK_COMPONENT_CONSUME_FUNC_STATUS_OK;
	BT_CURRENT_THREAD_ERROR_APPEND_CAUSE_FROM_UNKNOWN("mp-trace-sql",
							  "stopped");
	return BT_GRAPH_SIMPLE_SINK_COMPONENT_CONSUME_FUNC_STATUS_ERROR;
}

static const bt_plugin *plugin(const char *name)
{
	const bt_plugin *p = NULL;

	if (bt_plugin_find(name, BT_TRUE, BT_TRUE, BT_TRUE, BT_TRUE, BT_TRUE,
			   &p) != BT_PLUGIN_FIND_STATUS_OK)
		return NULL;
	return p;
}

/* The graph: a source per sub-trace, the muxer, our sink.  0 or -1. */
static int build(bt_graph *g, char **inputs, int n, struct run *run)
{
	const bt_plugin *ctf = plugin("ctf"), *utils = plugin("utils");
	const bt_component_filter *mux = NULL;
	const bt_component_sink *sink = NULL;
	int ok = ctf && utils
		&& bt_graph_add_filter_component(
			g, bt_plugin_borrow_filter_component_class_by_name_const(
				utils, "muxer"), "muxer", NULL,
			BT_LOGGING_LEVEL_NONE, &mux) == BT_GRAPH_ADD_COMPONENT_STATUS_OK
		&& bt_graph_add_simple_sink_component(
			g, "sink", sink_init, sink_consume, NULL, run, &sink) ==
		BT_GRAPH_ADD_COMPONENT_STATUS_OK;

	for (int i = 0; ok && i < n; i++) {
		const bt_component_source *src = NULL;
		bt_value *params = bt_value_map_create();
		bt_value *paths = bt_value_array_create();
		char name[32];
		snprintf(name, sizeof name, "source%d", i);
		ok = params && paths
			&& bt_value_array_append_string_element(paths, inputs[i]) ==
			BT_VALUE_ARRAY_APPEND_ELEMENT_STATUS_OK
			&& bt_value_map_insert_entry(params, "inputs", paths) ==
			BT_VALUE_MAP_INSERT_ENTRY_STATUS_OK
			&& bt_graph_add_source_component(
				g, bt_plugin_borrow_source_component_class_by_name_const(
					ctf, "fs"), name, params, BT_LOGGING_LEVEL_NONE,
				&src) == BT_GRAPH_ADD_COMPONENT_STATUS_OK;
		bt_value_put_ref(paths);
		bt_value_put_ref(params);
		for (uint64_t p = 0; ok &&
		     p < bt_component_source_get_output_port_count(src); p++) {
			uint64_t free_port = bt_component_filter_get_input_port_count(mux) - 1;
			ok = bt_graph_connect_ports(
				g, bt_component_source_borrow_output_port_by_index_const(src, p),
				bt_component_filter_borrow_input_port_by_index_const(
					mux, free_port), NULL) == BT_GRAPH_CONNECT_PORTS_STATUS_OK;
		}
	}
	ok = ok && bt_graph_connect_ports(
		g, bt_component_filter_borrow_output_port_by_index_const(mux, 0),
		bt_component_sink_borrow_input_port_by_index_const(sink, 0), NULL) ==
		BT_GRAPH_CONNECT_PORTS_STATUS_OK;
	bt_plugin_put_ref(ctf);
	bt_plugin_put_ref(utils);
	return ok ? 0 : -1;
}

/* babeltrace2's most specific complaint, on one line, as the Python reader
 * says it (the first cause). */
static void complain(void)
{
	const bt_error *error = bt_current_thread_take_error();
	const char *what = "babeltrace2 failed";
	char line[400];

	if (error && bt_error_get_cause_count(error) > 0)
		what = bt_error_cause_get_message(
			bt_error_borrow_cause_by_index(error, 0));
	snprintf(line, sizeof line, "%s", what);
	line[strcspn(line, "\n")] = '\0';
	fprintf(stderr, "mp-trace-sql: %s\n", line);
	if (error)
		bt_error_release(error);
}

static int convert(const char *out, char **inputs, int n)
{
	struct run run = {0};
	bt_graph *g;
	bt_graph_run_status st;

	if (!(run.db = db_open(out)))
		return EXIT_WRITE;
	g = bt_graph_create(0);
	if (!g || build(g, inputs, n, &run)) {
		complain();
		run.status = EXIT_READ;
	} else {
		while ((st = bt_graph_run(g)) == BT_GRAPH_RUN_STATUS_AGAIN)
			;
		if (st != BT_GRAPH_RUN_STATUS_OK && !run.status) {
			complain();
			run.status = EXIT_READ;
		} else if (run.status) {
			bt_current_thread_clear_error();
		}
	}
	if (!run.status && (run.status = db_finish(run.db)) != 0)
		fprintf(stderr, "mp-trace-sql: %s\n", db_error(run.db));
	bt_graph_put_ref(g);
	db_close(run.db);
	return run.status;
}

int main(int argc, char **argv)
{
	if (argc == 2 && strcmp(argv[1], "--version") == 0) {
		printf("%s (format %d)\n", SQL_VERSION, SQL_FORMAT);
		return 0;
	}
	if (argc == 3 && strcmp(argv[1], "--tsv") == 0)
		return tsv_main(argv[2]);
	if (argc == 3 && strcmp(argv[1], "--json-messages") == 0)
		return json_main(argv[2]);
	if (argc == 3 && strcmp(argv[1], "--crowds") == 0)
		return crowds_main(argv[2]);
	if (argc == 3 && strcmp(argv[1], "--gaps") == 0)
		return gaps_main(argv[2]);
	if (argc < 3 || argv[1][0] == '-') {
		fprintf(stderr, "usage: mp-trace-sql OUT.sqlite SUBTRACE...\n"
			"       mp-trace-sql --tsv DB.sqlite < PLAN\n"
			"       mp-trace-sql --json-messages DB.sqlite < PLAN\n"
			"       mp-trace-sql --crowds DB.sqlite < PLAN\n"
			"       mp-trace-sql --gaps DB.sqlite < PLAN\n");
		return EXIT_USAGE;
	}
	if (access(argv[1], F_OK) == 0) {
		fprintf(stderr, "mp-trace-sql: %s exists: not replacing it\n",
			argv[1]);
		return EXIT_USAGE;
	}
	int status = convert(argv[1], argv + 2, argc - 2);
	if (status)
		unlink(argv[1]);
	return status;
}
