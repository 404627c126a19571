package extract

import (
	"regexp"
	"strings"

	"github.com/yuin/goldmark/ast"
	extast "github.com/yuin/goldmark/extension/ast"

	"github.com/plansite/plansite/site/plan"
)

// pendingTable is a task or agent table, applied once every task of the
// document is known (tables often come before the tasks they name).
type pendingTable struct {
	phase string
	rows  []tableRow
}

type tableRow struct {
	line   int
	ids    []string
	title  string
	status string
	effort string
	agents map[string][]agentMention // role → agents
}

var agentColRe = regexp.MustCompile(`^(assigned|assignee|owner|agents?|agent\(s\)|subagents?|subagent\(s\)|assigned subagents?|assigned subagent\(s\)|assigned to|delegate to|lead)$`)

var phaseCellRe = regexp.MustCompile(`(?i)(?:phase\s*)?\b(\d+[a-z]?(?:[.-]\d+[a-z]?)*)\b`)

func (w *walker) table(t *extast.Table, ctx *itemCtx) {
	w.clearLabel()
	var header []string
	var rows [][]string
	var lines []int
	for r := t.FirstChild(); r != nil; r = r.NextSibling() {
		var cells []string
		for c := r.FirstChild(); c != nil; c = c.NextSibling() {
			cells = append(cells, w.plain(c))
		}
		if _, ok := r.(*extast.TableHeader); ok {
			for _, c := range cells {
				header = append(header, strings.ToLower(stripInline(c)))
			}
			continue
		}
		rows = append(rows, cells)
		lines = append(lines, w.nodeLine(r))
	}
	if w.rec.table != nil && w.rec.table(w, header, rows, lines) {
		return
	}
	w.tableCheckboxes(header, rows, lines, ctx)
	col := func(match func(h string) bool) int {
		for i, h := range header {
			if match(h) {
				return i
			}
		}
		return -1
	}
	cell := func(row []string, i int) string {
		if i < 0 || i >= len(row) {
			return ""
		}
		return strings.TrimSpace(row[i])
	}
	for _, h := range header {
		if strings.Contains(h, "commit") || h == "message" || strings.HasSuffix(h, " by") {
			return // activity tables repeat assignments; they are not the plan
		}
	}
	statusCol := col(func(h string) bool { return h == "status" || h == "state" })
	phaseCol := col(func(h string) bool { return h == "phase" || h == "#" && false })
	idCol := -1
	for i, h := range header {
		switch h {
		case "id", "task id", "task ids", "tasks", "task", "#", "wp", "work package", "ids":
		case "phase":
			// | Phase | Task Category | Assigned Subagent |: rows of
			// sub-phase tasks such as **1A-1**, when the table assigns agents.
			if !hasAgentColumn(header) {
				continue
			}
		default:
			continue
		}
		n := 0
		for _, r := range rows {
			if len(taskIDsIn(cell(r, i))) > 0 {
				n++
			}
		}
		if len(rows) > 0 && n*2 >= len(rows) {
			idCol = i
			break
		}
	}
	if idCol < 0 && phaseCol >= 0 && (statusCol >= 0 || col(func(h string) bool { return strings.Contains(h, "completion") || h == "%" }) >= 0) {
		w.overviewTable(header, rows, lines, phaseCol, statusCol)
		return
	}
	if idCol < 0 {
		return
	}
	roleCols := map[string]int{}
	for i, h := range header {
		switch {
		case strings.Contains(h, "backup"):
			roleCols[plan.RoleBackup] = i
		case strings.Contains(h, "review") || strings.Contains(h, "validator"):
			roleCols[plan.RoleReview] = i
		case strings.Contains(h, "primary") || agentColRe.MatchString(h):
			if _, ok := roleCols[plan.RolePrimary]; !ok {
				roleCols[plan.RolePrimary] = i
			}
		}
	}
	titleCol := col(func(h string) bool {
		return h == "task name" || h == "name" || h == "title" || h == "task category" || h == "task" && header[idCol] != "task" && header[idCol] != "tasks"
	})
	effortCol := col(func(h string) bool {
		return h == "effort" || h == "estimate" || h == "story points" || h == "points" || h == "sp" || strings.HasPrefix(h, "effort")
	})
	if len(roleCols) == 0 && statusCol < 0 {
		return
	}
	pt := pendingTable{}
	if p := w.curPhase(); p != nil {
		pt.phase = p.Number
	}
	for i, r := range rows {
		tr := tableRow{line: lines[i], ids: taskIDsIn(cell(r, idCol)), agents: map[string][]agentMention{}}
		if len(tr.ids) == 0 {
			continue
		}
		tr.title, tr.status, tr.effort = cell(r, titleCol), cell(r, statusCol), cell(r, effortCol)
		for role, c := range roleCols {
			tr.agents[role] = parseAgents(cell(r, c))
		}
		pt.rows = append(pt.rows, tr)
	}
	w.tables = append(w.tables, pt)
}

// tableCheckboxes counts "[ ]" and "[x]" cells: criteria tables under gates.
func (w *walker) tableCheckboxes(header []string, rows [][]string, lines []int, ctx *itemCtx) {
	for i, r := range rows {
		for _, c := range r {
			mark, rest, ok := cutCheckbox(c)
			if !ok {
				continue
			}
			checked := mark != ' '
			text := strings.TrimSpace(rest)
			if text == "" && len(r) > 0 {
				text = stripInline(r[0])
			}
			w.checkItem(text, checked, lines[i], ctx, false, plan.Unknown)
			break
		}
	}
}

// overviewTable reads a phase overview: | Phase | Title | Status | Completion |.
func (w *walker) overviewTable(header []string, rows [][]string, lines []int, phaseCol, statusCol int) {
	complCol := -1
	titleCol := -1
	for i, h := range header {
		if strings.Contains(h, "completion") || h == "%" || h == "% complete" {
			complCol = i
		}
		if titleCol < 0 && (h == "title" || h == "name" || h == "phase name") {
			titleCol = i
		}
	}
	for i, r := range rows {
		if phaseCol >= len(r) {
			continue
		}
		m := phaseCellRe.FindStringSubmatch(stripInline(r[phaseCol]))
		if m == nil {
			continue
		}
		row := overviewRow{line: lines[i]}
		if statusCol >= 0 && statusCol < len(r) {
			row.statusText = strings.TrimSpace(stripInline(r[statusCol]))
			row.status = w.normStatus(r[statusCol])
		}
		if complCol >= 0 && complCol < len(r) {
			row.declared = percentOf(r[complCol])
		}
		if titleCol >= 0 && titleCol < len(r) {
			row.title = stripInline(r[titleCol])
		} else if t := strings.TrimSpace(phaseCellRe.ReplaceAllString(stripInline(r[phaseCol]), "")); t != "" {
			row.title = strings.TrimLeft(t, ":-–— ")
		}
		key := strings.ToLower(m[1])
		if _, ok := w.overview[key]; !ok {
			w.overview[key] = row
			w.overviewOrder = append(w.overviewOrder, key)
		}
	}
}

var _ = ast.KindText

func hasAgentColumn(header []string) bool {
	for _, h := range header {
		if strings.Contains(h, "primary") || agentColRe.MatchString(h) || strings.HasPrefix(h, "assigned subagent") {
			return true
		}
	}
	return false
}
