package maestro

import (
	"encoding/json"
	"fmt"
	"regexp"
	"sort"
	"strconv"
	"strings"
)

// The rules of the server's ManifestLoader that the SDKs implement (see README.md for the list
// and for what only the server checks); sdks/contract/manifests keeps the paths in step.

// MaxTasks is the most tasks a workflow may have on a server with the default engine.maxTasks.
const MaxTasks = 1000

// CoreTaskTypes are the built-in task types of a server (core/exec only where its sandbox is
// available); worker/<queue> names any queue.
var CoreTaskTypes = []string{
	"core/approval", "core/exec", "core/fail", "core/http",
	"core/log", "core/noop", "core/wait", "core/workflow",
}

const workerPrefix = "worker/"

var (
	reName    = regexp.MustCompile(`^[a-z0-9][a-z0-9._-]{0,99}$`)
	reVersion = regexp.MustCompile(`^[A-Za-z0-9][A-Za-z0-9._+-]{0,63}$`)
	reTaskID  = regexp.MustCompile(`^[A-Za-z_][A-Za-z0-9_-]{0,62}$`)
	reQueue   = regexp.MustCompile(`^[a-z0-9][a-z0-9_.-]{0,62}$`)
	reShort   = regexp.MustCompile(`^([0-9]{1,9})(ms|s|m|h|d)$`)
	reISO     = regexp.MustCompile(`^(?i)([-+]?)P(?:([-+]?[0-9]+)D)?(T(?:([-+]?[0-9]+)H)?(?:([-+]?[0-9]+)M)?(?:([-+]?[0-9]+)(?:[.,]([0-9]{0,9}))?S)?)?$`)
	// Go's regexp has no look-behind: refs checks that no '.' or word character precedes a match.
	reTaskRef  = regexp.MustCompile(`tasks\s*(?:\.\s*([A-Za-z_][A-Za-z0-9_]*)|\[\s*["']([^"']+)["']\s*\])`)
	reInputRef = regexp.MustCompile(`inputs\s*(?:\.\s*([A-Za-z_][A-Za-z0-9_]*)|\[\s*["']([^"']+)["']\s*\])`)
)

var (
	fieldsTop      = set("apiVersion", "kind", "metadata", "spec")
	fieldsMetadata = set("name", "version", "region", "labels", "risk", "resourceClass", "description")
	fieldsSpec     = set("inputs", "tasks", "schedules")
	fieldsTask     = set("id", "uses", "with", "needs", "if", "retry", "timeout", "outputs", "onFailure", "name")
	fieldsRetry    = set("max", "backoff", "on")
	fieldsSeed     = set("name", "version", "region", "tasks", "labels")
)

func set(xs ...string) map[string]bool {
	m := map[string]bool{}
	for _, x := range xs {
		m[x] = true
	}
	return m
}

// WorkerQueue is the queue a worker/<queue> task type names.
func WorkerQueue(uses string) (string, bool) {
	if !strings.HasPrefix(uses, workerPrefix) {
		return "", false
	}
	q := uses[len(workerPrefix):]
	return q, reQueue.MatchString(q)
}

// KnownTaskType reports whether a server knows uses (the server registers worker tasks as the
// pattern "worker/*", so that literal name is known too).
func KnownTaskType(uses string) bool {
	for _, t := range CoreTaskTypes {
		if t == uses {
			return true
		}
	}
	_, ok := WorkerQueue(uses)
	return ok || uses == "worker/*"
}

// ParseDuration reads a manifest duration (500ms, 30s, 5m, 2h, 1d or ISO-8601 such as PT30S)
// as seconds.
func ParseDuration(text string) (float64, error) {
	t := strings.TrimSpace(text)
	if m := reShort.FindStringSubmatch(t); m != nil {
		n, _ := strconv.ParseFloat(m[1], 64)
		unit := map[string]float64{"ms": 0.001, "s": 1, "m": 60, "h": 3600, "d": 86400}[m[2]]
		return n * unit, nil
	}
	if m := reISO.FindStringSubmatch(t); m != nil && strings.ToUpper(m[3]) != "T" &&
		(m[2] != "" || m[4] != "" || m[5] != "" || m[6] != "") {
		num := func(s string) float64 {
			if s == "" {
				return 0
			}
			f, _ := strconv.ParseFloat(s, 64)
			return f
		}
		secs := num(m[6])
		if m[7] != "" {
			frac, _ := strconv.ParseFloat("0."+m[7], 64)
			if strings.HasPrefix(m[6], "-") {
				frac = -frac
			}
			secs += frac
		}
		total := num(m[2])*86400 + num(m[4])*3600 + num(m[5])*60 + secs
		if m[1] == "-" {
			total = -total
		}
		if total < 0 {
			return 0, fmt.Errorf("a duration must not be negative: %s", text)
		}
		return total, nil
	}
	return 0, fmt.Errorf("'%s' is not a duration (use e.g. 500ms, 30s, 5m, 2h, 1d or PT30S)", text)
}

type check struct{ problems []Problem }

func (c *check) add(path, msg string) { c.problems = append(c.problems, Problem{path, msg}) }

func sortedKeys(m map[string]any) []string {
	ks := make([]string, 0, len(m))
	for k := range m {
		ks = append(ks, k)
	}
	sort.Strings(ks)
	return ks
}

func (c *check) unknownFields(obj map[string]any, path string, allowed map[string]bool) {
	for _, f := range sortedKeys(obj) {
		if !allowed[f] {
			c.add(join(path, f), fmt.Sprintf("unknown field '%s'", f))
		}
	}
}

// text is the server's Check.text: absent or null is "required" (when required), a non-string
// is refused.
func (c *check) text(obj map[string]any, field, path string, required bool) (string, bool) {
	v := obj[field]
	if v == nil {
		if required {
			c.add(path, field+" is required")
		}
		return "", false
	}
	s, ok := v.(string)
	if !ok {
		c.add(path, field+" must be a string")
		return "", false
	}
	return s, true
}

func (c *check) scalar(obj map[string]any, field, path string, required bool) (string, bool) {
	if n, ok := obj[field].(json.Number); ok {
		return jacksonNumberText(n), true
	}
	return c.text(obj, field, path, required)
}

// jacksonNumberText writes a number as the server reads it back as text: integers as written,
// other numbers as decimals (1.50 is "1.5").
func jacksonNumberText(n json.Number) string {
	s := n.String()
	if !strings.ContainsAny(s, ".eE") {
		return s
	}
	f, err := n.Float64()
	if err != nil {
		return s
	}
	out := strconv.FormatFloat(f, 'f', -1, 64)
	if !strings.Contains(out, ".") {
		out += ".0"
	}
	return out
}

func (c *check) duration(v any, path string) {
	s, ok := v.(string)
	if !ok {
		c.add(path, "a duration is a string such as 30s, 5m or PT1H")
		return
	}
	if _, err := ParseDuration(s); err != nil {
		c.add(path, err.Error())
	}
}

// Validate returns every problem the implemented rules find in a manifest decoded by Decode
// (a map, or anything else, which is refused); nil when it is valid.
func Validate(data any) []Problem {
	c := &check{}
	root, ok := data.(map[string]any)
	if !ok {
		c.add("", "a manifest is an object with apiVersion, kind, metadata and spec")
		return c.problems
	}
	_, hasAPI := root["apiVersion"]
	_, hasKind := root["kind"]
	_, hasTasks := root["tasks"]
	if !hasAPI && !hasKind && hasTasks {
		c.unknownFields(root, "", fieldsSeed)
		md := map[string]any{}
		for _, k := range []string{"name", "version", "region", "labels"} {
			if v, ok := root[k]; ok {
				md[k] = v
			}
		}
		c.build(map[string]any{"metadata": md, "spec": map[string]any{"tasks": root["tasks"]}}, "", "")
		return c.problems
	}
	c.unknownFields(root, "", fieldsTop)
	if api, ok := c.text(root, "apiVersion", "apiVersion", true); ok && api != APIVersion {
		c.add("apiVersion", fmt.Sprintf("unsupported apiVersion '%s'; expected %s", api, APIVersion))
	}
	if kind, ok := c.text(root, "kind", "kind", true); ok && kind != "Workflow" {
		c.add("kind", fmt.Sprintf("unsupported kind '%s'; expected Workflow", kind))
	}
	c.build(root, "metadata", "spec")
	return c.problems
}

func (c *check) build(root map[string]any, metaPath, specPath string) {
	md, ok := root["metadata"].(map[string]any)
	if !ok {
		c.add("metadata", "metadata must be an object with at least name and version")
		md = map[string]any{}
	} else if metaPath != "" {
		c.unknownFields(md, metaPath, fieldsMetadata)
	}
	if name, _ := c.text(md, "name", join(metaPath, "name"), true); name != "" && !reName.MatchString(name) {
		c.add(join(metaPath, "name"),
			fmt.Sprintf("name '%s' must be 1-100 lower-case letters, digits, '.', '_' or '-'", name))
	}
	if v, _ := c.scalar(md, "version", join(metaPath, "version"), true); v != "" && !reVersion.MatchString(v) {
		c.add(join(metaPath, "version"), fmt.Sprintf("version '%s' has characters not allowed", v))
	}
	c.text(md, "region", join(metaPath, "region"), false)
	if lab, present := md["labels"]; present {
		labels, ok := lab.(map[string]any)
		if !ok {
			c.add(join(metaPath, "labels"), "labels must be a map of strings")
		} else {
			for _, k := range sortedKeys(labels) {
				switch labels[k].(type) {
				case nil, map[string]any, []any:
					c.add(join(metaPath, "labels."+k), "a label value must be a string")
				}
			}
		}
	}
	if risk, ok := c.text(md, "risk", join(metaPath, "risk"), false); ok {
		switch strings.ToUpper(risk) {
		case "LOW", "MEDIUM", "HIGH":
		default:
			c.add(join(metaPath, "risk"), "risk must be low, medium or high")
		}
	}
	c.text(md, "resourceClass", join(metaPath, "resourceClass"), false)

	spec, ok := root["spec"].(map[string]any)
	if !ok {
		c.add("spec", "spec must be an object with tasks")
		spec = map[string]any{}
	} else if specPath != "" {
		c.unknownFields(spec, specPath, fieldsSpec)
	}
	// Schedules: only their form here; the server checks each one's cron, time zone and interval.
	if sc, present := spec["schedules"]; present && sc != nil {
		if _, ok := sc.([]any); !ok {
			c.add(join(specPath, "schedules"), "schedules must be a list")
		}
	}
	inputNames := map[string]bool{}
	if in := spec["inputs"]; in != nil {
		inputs, ok := in.(map[string]any)
		if !ok {
			c.add(join(specPath, "inputs"), "inputs must be a JSON Schema object")
		} else if p, present := inputs["properties"]; present {
			props, ok := p.(map[string]any)
			if !ok {
				c.add(join(specPath, "inputs.properties"), "properties must be an object")
			}
			for k := range props {
				inputNames[k] = true
			}
		}
	}
	c.tasks(spec["tasks"], join(specPath, "tasks"), inputNames)
}

type task struct {
	id        string
	with      map[string]any
	needs     []string
	onFailure []string
	cond      *string
	outputs   map[string]string
	outKeys   []string
}

func (c *check) tasks(v any, path string, inputNames map[string]bool) {
	arr, ok := v.([]any)
	if !ok || len(arr) == 0 {
		c.add(path, "tasks must be a non-empty list")
		return
	}
	if len(arr) > MaxTasks {
		// The server refuses this before looking at any task, with only this problem.
		c.problems = []Problem{{path, fmt.Sprintf(
			"a workflow may have at most %d tasks (this one has %d)", MaxTasks, len(arr))}}
		return
	}
	var out []task
	idPaths := map[string]string{}
	for i, el := range arr {
		tp := fmt.Sprintf("%s[%d]", path, i)
		t, ok := el.(map[string]any)
		if !ok {
			c.add(tp, "a task must be an object with id and uses")
			continue
		}
		c.unknownFields(t, tp, fieldsTask)
		id, _ := c.text(t, "id", tp+".id", true)
		if id != "" {
			if !reTaskID.MatchString(id) {
				c.add(tp+".id", fmt.Sprintf("task id '%s' must be letters, digits, '_' or '-'", id))
			}
			if first, dup := idPaths[id]; dup {
				c.add(tp+".id", fmt.Sprintf("duplicate task id '%s' (first at %s)", id, first))
			} else {
				idPaths[id] = tp
			}
		}
		uses, _ := c.text(t, "uses", tp+".uses", true)
		with := map[string]any{}
		if w := t["with"]; w != nil {
			if wm, ok := w.(map[string]any); ok {
				with = wm
			} else {
				c.add(tp+".with", "with must be an object")
			}
		}
		if uses != "" {
			if !KnownTaskType(uses) {
				c.add(tp+".uses", fmt.Sprintf("unknown task type '%s'", uses))
			} else {
				for _, p := range checkWith(uses, with) {
					if p.Path == "" {
						c.add(tp+".with", p.Message)
					} else {
						c.add(tp+".with."+p.Path, p.Message)
					}
				}
			}
		}
		needs := c.ids(t, "needs", tp)
		onFailure := c.ids(t, "onFailure", tp)
		var cond *string
		if iff, present := t["if"]; present {
			switch x := iff.(type) {
			case bool:
				s := strconv.FormatBool(x)
				cond = &s
			case string:
				cond = &x
			default:
				c.add(tp+".if", "if must be an expression")
			}
		}
		c.retry(t, tp+".retry")
		if to, present := t["timeout"]; present {
			c.duration(to, tp+".timeout")
		}
		outputs := map[string]string{}
		var outKeys []string
		if o, present := t["outputs"]; present {
			if om, ok := o.(map[string]any); ok {
				for _, k := range sortedKeys(om) {
					if s, ok := om[k].(string); ok {
						outputs[k] = s
						outKeys = append(outKeys, k)
					} else {
						c.add(tp+".outputs."+k, "an output is an expression string")
					}
				}
			} else {
				c.add(tp+".outputs", "outputs must map names to expressions")
			}
		}
		out = append(out, task{id, with, needs, onFailure, cond, outputs, outKeys})
	}
	index := map[string]int{}
	for i, t := range out {
		if _, ok := index[t.id]; !ok {
			index[t.id] = i
		}
	}
	c.graph(out, index, path)
	c.compensations(out, index, path)
	for i, t := range out {
		c.expressions(t, fmt.Sprintf("%s[%d]", path, i), out, index, inputNames)
	}
}

// ids reads a task's field that names tasks: one task id or a list of them.
func (c *check) ids(t map[string]any, field, tp string) []string {
	var ids []string
	n, present := t[field]
	if !present {
		return ids
	}
	switch x := n.(type) {
	case string:
		ids = append(ids, x)
	case []any:
		for j, item := range x {
			if s, ok := item.(string); ok {
				ids = append(ids, s)
			} else {
				c.add(fmt.Sprintf("%s.%s[%d]", tp, field, j), field+" lists task ids")
			}
		}
	default:
		c.add(tp+"."+field, field+" must be a task id or a list of task ids")
	}
	return ids
}

// compensations checks onFailure as the server does (engine's manifest.Compensations): a task
// named in another task's onFailure is a compensation task; it declares no onFailure, no ordinary
// task needs it, and the compensation tasks it needs are named in the same onFailure.
func (c *check) compensations(tasks []task, index map[string]int, path string) {
	compensation := map[string]bool{}
	for _, t := range tasks {
		for _, n := range t.onFailure {
			if n != t.id {
				compensation[n] = true
			}
		}
	}
	for i, t := range tasks {
		tp := fmt.Sprintf("%s[%d]", path, i)
		if compensation[t.id] && len(t.onFailure) > 0 {
			c.add(tp+".onFailure", fmt.Sprintf(
				"compensation task '%s' cannot declare onFailure: it runs only when another task fails", t.id))
		}
		if !compensation[t.id] {
			for j, need := range t.needs {
				if compensation[need] {
					c.add(fmt.Sprintf("%s.needs[%d]", tp, j), fmt.Sprintf(
						"needs compensation task '%s', which runs only when a task fails (see onFailure)", need))
				}
			}
		}
		for j, named := range t.onFailure {
			np := fmt.Sprintf("%s.onFailure[%d]", tp, j)
			k, known := index[named]
			switch {
			case named == t.id:
				c.add(np, fmt.Sprintf("task '%s' names itself in onFailure", t.id))
			case !known:
				c.add(np, fmt.Sprintf("onFailure names unknown task '%s'", named))
			default:
				for _, need := range tasks[k].needs {
					if compensation[need] && !contains(t.onFailure, need) {
						c.add(np, fmt.Sprintf(
							"compensation task '%s' needs compensation task '%s': name it in this onFailure too", named, need))
					}
				}
			}
		}
	}
}

func contains(list []string, s string) bool {
	for _, x := range list {
		if x == s {
			return true
		}
	}
	return false
}

func checkWith(uses string, with map[string]any) []Problem {
	var p []Problem
	if _, ok := WorkerQueue(uses); ok || uses == "worker/*" {
		for _, k := range sortedKeys(with) {
			if k != "input" && k != "output_schema" {
				p = append(p, Problem{k, fmt.Sprintf("unknown parameter '%s'", k)})
			}
		}
		if s, present := with["output_schema"]; present {
			if _, ok := s.(map[string]any); !ok {
				p = append(p, Problem{"output_schema", "output_schema must be a JSON Schema object"})
			}
		}
	} else if uses == "core/log" {
		for _, k := range sortedKeys(with) {
			if k != "message" {
				p = append(p, Problem{k, fmt.Sprintf("unknown parameter '%s'", k)})
			}
		}
		if with["message"] == nil {
			p = append(p, Problem{"", "'message' is required"})
		}
	}
	return p
}

func (c *check) retry(t map[string]any, path string) {
	rv := t["retry"]
	if rv == nil {
		return
	}
	r, ok := rv.(map[string]any)
	if !ok {
		c.add(path, "retry must be an object with max, backoff and on")
		return
	}
	c.unknownFields(r, path, fieldsRetry)
	if m, present := r["max"]; present {
		n, isNum := m.(json.Number)
		i, err := strconv.ParseInt(string(n), 10, 32)
		if !isNum || err != nil {
			c.add(path+".max", "max must be an integer")
		} else if i < 0 || i > 100 {
			c.add(path+".max", "max must be between 0 and 100")
		}
	}
	if b, present := r["backoff"]; present {
		c.duration(b, path+".backoff")
	}
	if on, present := r["on"]; present {
		items, isList := on.([]any)
		if !isList {
			items = []any{on}
		}
		for _, x := range items {
			switch strings.ToLower(asText(x)) {
			case "error", "platform", "timeout":
			default:
				c.add(path+".on", "retry.on takes error, platform and timeout")
			}
		}
	}
}

// graph reports unknown and self needs, then cycles, with the server's depth-first search in
// the same order so that each cycle is reported at the same task.
func (c *check) graph(tasks []task, index map[string]int, path string) {
	for i, t := range tasks {
		for j, need := range t.needs {
			np := fmt.Sprintf("%s[%d].needs[%d]", path, i, j)
			if need == t.id {
				c.add(np, fmt.Sprintf("task '%s' needs itself", t.id))
			} else if _, ok := index[need]; !ok {
				c.add(np, fmt.Sprintf("needs unknown task '%s'", need))
			}
		}
	}
	state := map[string]int{}
	reported := map[string]bool{}
	for _, root := range tasks {
		if _, seen := state[root.id]; seen {
			continue
		}
		stack := []string{root.id}
		next := []int{0}
		depth := map[string]int{root.id: 0}
		state[root.id] = 1
		for len(stack) > 0 {
			top := len(stack) - 1
			id := stack[top]
			needs := tasks[index[id]].needs
			k := next[top]
			if k == len(needs) {
				state[id] = 2
				delete(depth, id)
				stack = stack[:top]
				next = next[:top]
				continue
			}
			next[top] = k + 1
			need := needs[k]
			if _, ok := index[need]; !ok || need == id {
				continue
			}
			switch state[need] {
			case 0:
				state[need] = 1
				depth[need] = len(stack)
				stack = append(stack, need)
				next = append(next, 0)
			case 1:
				cycle := append([]string{}, stack[depth[need]:]...)
				var uniq []string
				seen := map[string]bool{}
				for _, x := range cycle {
					if !seen[x] {
						seen[x] = true
						uniq = append(uniq, x)
					}
				}
				key := strings.Join(uniq, ">")
				if !reported[key] {
					reported[key] = true
					c.add(fmt.Sprintf("%s[%d].needs", path, index[need]),
						"cycle in needs: "+strings.Join(append(cycle, need), " -> "))
				}
			}
		}
	}
}

func upstream(t task, ref string, tasks []task, index map[string]int) bool {
	seen := map[string]bool{}
	todo := append([]string{}, t.needs...)
	for len(todo) > 0 {
		n := todo[len(todo)-1]
		todo = todo[:len(todo)-1]
		if n == ref {
			return true
		}
		if i, ok := index[n]; ok && !seen[n] {
			seen[n] = true
			todo = append(todo, tasks[i].needs...)
		}
	}
	return false
}

// templateExpressions returns the expressions of a ${{ … }} template, or an error when one is
// not closed or empty.
func templateExpressions(s string) ([]string, error) {
	var out []string
	i := 0
	for i < len(s) {
		open := strings.Index(s[i:], "${{")
		if open < 0 {
			break
		}
		open += i
		closeAt := strings.Index(s[open+3:], "}}")
		if closeAt < 0 {
			return nil, fmt.Errorf("'${{' at offset %d is not closed by '}}'", open)
		}
		closeAt += open + 3
		src := strings.TrimSpace(s[open+3 : closeAt])
		if src == "" {
			return nil, fmt.Errorf("empty expression at offset %d", open)
		}
		out = append(out, src)
		i = closeAt + 2
	}
	return out, nil
}

func isWordByte(b byte) bool {
	return b == '_' || b == '.' || (b >= '0' && b <= '9') || (b >= 'a' && b <= 'z') || (b >= 'A' && b <= 'Z')
}

func refs(re *regexp.Regexp, src string) []string {
	var out []string
	pos := 0
	for pos <= len(src) {
		m := re.FindStringSubmatchIndex(src[pos:])
		if m == nil {
			break
		}
		start := pos + m[0]
		if start > 0 && isWordByte(src[start-1]) {
			pos = start + 1
			continue
		}
		if m[2] >= 0 {
			out = append(out, src[pos+m[2]:pos+m[3]])
		} else {
			out = append(out, src[pos+m[4]:pos+m[5]])
		}
		pos += m[1]
	}
	return out
}

func (c *check) expressions(t task, tp string, tasks []task, index map[string]int, inputs map[string]bool) {
	one := func(src, path string) {
		for _, ref := range refs(reTaskRef, src) {
			if _, ok := index[ref]; !ok {
				c.add(path, fmt.Sprintf("expression refers to unknown task '%s'", ref))
			} else if !upstream(t, ref, tasks, index) {
				c.add(path, fmt.Sprintf("expression refers to task '%s', which is not upstream: add it to needs", ref))
			}
		}
		for _, ref := range refs(reInputRef, src) {
			if !inputs[ref] {
				c.add(path, fmt.Sprintf("expression refers to undeclared input '%s'", ref))
			}
		}
	}
	text := func(s, path string) {
		if !hasExpressions(s) {
			return
		}
		srcs, err := templateExpressions(s)
		if err != nil {
			c.add(path, err.Error())
			return
		}
		for _, src := range srcs {
			one(src, path)
		}
	}
	var walk func(v any, path string)
	walk = func(v any, path string) {
		switch x := v.(type) {
		case string:
			text(x, path)
		case map[string]any:
			for _, k := range sortedKeys(x) {
				walk(x[k], path+"."+k)
			}
		case []any:
			for i, e := range x {
				walk(e, fmt.Sprintf("%s[%d]", path, i))
			}
		}
	}
	if t.cond != nil {
		cond := strings.TrimSpace(*t.cond)
		if strings.HasPrefix(cond, "${{") && strings.HasSuffix(cond, "}}") {
			cond = strings.TrimSpace(cond[3 : len(cond)-2])
		}
		one(cond, tp+".if")
	}
	walk(t.with, tp+".with")
	for _, k := range t.outKeys {
		v := t.outputs[k]
		if hasExpressions(v) {
			text(v, tp+".outputs."+k)
		} else {
			one(v, tp+".outputs."+k)
		}
	}
}
