package extract

import (
	"regexp"
	"strconv"
	"strings"
	"unicode"

	"github.com/plansite/plansite/site/plan"
)

// The vocabularies: every word plansite reads, one table per concept. The
// regexps and the cheap pre-checks that spare most text those regexps are
// derived from the tables below, so adding a word or a shape is one edit in
// one table (TestVocabularyPrechecks holds each pre-check to its regexp).
//
// A word is written lower case. A space in it stands for any run of spaces,
// underscores or hyphens ("in progress" reads "in_progress" and
// "In-Progress"); a hyphen is literal. Words of scripts without spaces
// between words (Chinese, Japanese) match anywhere; others match whole.

// statusVocab maps status words, in every language plans are written in, to
// normalised statuses. Its order matters only when two words start at the
// same place: the longer wins.
var statusVocab = []struct {
	status string
	words  []string
}{
	{plan.NotStarted, []string{"not started", "not yet started", "not begun", "not yet begun", "not implemented", "not yet implemented", "not done", "not yet done",
		// zh, ja, ko, vi, es, fr, de, pt, ru
		"未开始", "未開始", "未着手", "시작 전", "미착수", "chưa bắt đầu", "chưa thực hiện", "no iniciado", "sin empezar", "non commencé", "non démarré",
		"nicht begonnen", "nicht gestartet", "não iniciado", "não iniciada", "не начато", "не начата", "не начат"}},
	{plan.InProgress, []string{"not met"}},
	{plan.InProgress, []string{"in progress", "inprogress", "in development", "started", "starting", "ongoing", "underway", "wip", "active", "partial", "partially",
		"need", "needs", "at risk", "on track", "initialising", "initializing", "setting up", "moving to", "review", "reviewing", "testing", "validating", "executing",
		"未完成", "未完了", "미완료", "进行中", "進行中", "处理中", "开发中", "対応中", "作業中", "実装中", "진행 중", "진행중", "đang thực hiện", "đang tiến hành", "đang làm", "đang phát triển",
		"en progreso", "en curso", "en proceso", "en cours", "in bearbeitung", "in arbeit", "em andamento", "em progresso", "em curso", "в работе", "в процессе", "выполняется"}},
	{plan.Blocked, []string{"blocked", "blocking", "on hold", "waiting", "stalled", "paused",
		"阻塞", "受阻", "被阻塞", "ブロック", "保留", "차단", "보류", "bị chặn", "tạm dừng", "bloqueado", "bloqueada", "bloqué", "bloquée", "en attente", "blockiert",
		"заблокировано", "заблокирована", "заблокирован"}},
	{plan.Deferred, []string{"deferred", "skipped", "postponed", "canceled", "cancelled", "dropped", "descoped", "superseded", "deprecated", "obsolete",
		"推迟", "延期", "搁置", "已取消", "取消", "中止", "연기", "취소", "hoãn", "tạm hoãn", "đã hủy", "aplazado", "aplazada", "pospuesto", "cancelado", "cancelada",
		"reporté", "reportée", "annulé", "annulée", "verschoben", "zurückgestellt", "abgebrochen", "adiado", "adiada", "отложено", "отложена", "отменено"}},
	{plan.Failed, []string{"fail", "failed", "failing", "broken", "rejected",
		"失败", "失敗", "실패", "thất bại", "fallido", "fallida", "échoué", "échouée", "fehlgeschlagen", "falhou", "falha", "провалено", "не пройдено", "отклонено"}},
	{plan.Complete, []string{"complete", "completed", "done", "finished", "delivered", "pass", "passed", "passing", "met", "exceeded", "exceeds", "approved", "accepted",
		"published", "production ready", "implemented", "created", "modified", "fully working", "resolved", "closed", "shipped", "merged",
		"已完成", "完成", "完了", "済み", "완료", "hoàn thành", "đã xong", "xong", "completado", "completada", "terminado", "terminada", "hecho", "terminé", "terminée",
		"achevé", "fait", "abgeschlossen", "erledigt", "fertig", "concluído", "concluída", "finalizado", "завершено", "завершена", "выполнено", "готово"}},
	{plan.NotStarted, []string{"planned", "planning", "pending", "draft", "ready", "todo", "to do", "pre-implementation", "proposed", "backlog", "queued", "scheduled",
		"upcoming", "next",
		"计划中", "待定", "待办", "草稿", "予定", "未対応", "下書き", "예정", "초안", "대기", "dự kiến", "kế hoạch", "chờ", "pendiente", "planificado", "borrador",
		"prévu", "planifié", "à faire", "brouillon", "geplant", "offen", "entwurf", "planejado", "pendente", "rascunho", "запланировано", "черновик", "в планах"}},
}

// gateVocab names the sections whose checklist decides whether a phase may
// pass: criteria, checklists, gates, definitions of done.
var gateVocab = []string{"criteria", "checklist", "gate", "gates", "complete when", "definition of done", "sign off", "signoff", "constitution check",
	"验收标准", "检查清单", "受け入れ基準", "チェックリスト", "완료 조건", "체크리스트", "tiêu chí", "danh sách kiểm tra", "criterios", "critères", "kriterien",
	"checkliste", "critérios", "критерии", "чек-лист"}

// logVocab names the sections that hold a work log.
var logVocab = []string{"work log", "worklog", "session notes", "session", "sessions", "timeline", "change log", "changelog", "history", "progress log",
	"activity", "journal",
	"工作日志", "变更记录", "作業ログ", "変更履歴", "작업 로그", "변경 이력", "nhật ký", "registro de cambios", "bitácora", "journal de bord", "änderungsprotokoll",
	"arbeitsprotokoll", "histórico", "журнал изменений", "журнал работ"}

// phaseVocab is the word a phase heading opens with: "Phase 2: …", "Fase 2 — …".
var phaseVocab = []string{"phase", "fase", "étape", "фаза", "этап", "阶段", "フェーズ", "단계", "giai đoạn"}

// keyVocab folds the many names of one metadata field to one key (SURVEY §2),
// in every language plans are written in. Names are matched after normKey's
// folding: case, spaces and punctuation do not matter.
var keyVocab = []struct {
	key   string
	names []string
}{
	{"start", []string{"started", "start date", "date started", "start",
		"开始日期", "开始时间", "開始日", "시작일", "ngày bắt đầu", "fecha de inicio", "inicio", "date de début", "début", "startdatum", "beginn", "data de início", "início", "дата начала", "начало"}},
	{"done", []string{"completed", "date completed", "completion date", "completed date",
		"完成日期", "完了日", "완료일", "ngày hoàn thành", "fecha de finalización", "date de fin", "enddatum", "abgeschlossen am", "data de conclusão", "дата завершения"}},
	{"updated", []string{"last updated", "generated", "date", "updated", "last update",
		"更新日期", "最后更新", "最後更新", "更新时间", "日期", "更新日", "最終更新", "更新日時", "日付", "업데이트", "최종 수정", "최종 업데이트", "날짜", "ngày cập nhật", "cập nhật", "ngày",
		"última actualización", "actualizado", "fecha", "dernière mise à jour", "mis à jour", "mise à jour", "zuletzt aktualisiert", "aktualisiert", "stand", "datum",
		"última atualização", "atualizado em", "atualizado", "обновлено", "последнее обновление", "дата"}},
	{"effort", []string{"effort", "estimated effort", "story points", "total effort", "estimate", "工作量", "工数", "공수", "esfuerzo", "aufwand", "esforço", "трудозатраты"}},
	{"plan", []string{"plan", "plan path", "parent plan", "implementation plan", "计划", "計画", "계획"}},
	{"completion", []string{"completion", "overall completion", "completion percentage", "overall progress", "progress", "progress percent", "percent",
		"完成度", "完成率", "进度", "進捗", "進捗率", "진행률", "완료율", "tiến độ", "hoàn thành", "progreso", "avance", "progression", "avancement", "fortschritt",
		"progresso", "прогресс", "готовность"}},
	{"prev", []string{"previous phase", "previous", "prev", "prev phase", "上一阶段", "前のフェーズ", "이전 단계", "fase anterior", "phase précédente", "vorherige phase", "предыдущая фаза"}},
	{"next", []string{"next phase", "next", "下一阶段", "次のフェーズ", "다음 단계", "giai đoạn tiếp theo", "siguiente fase", "phase suivante", "nächste phase", "próxima fase", "следующая фаза"}},
	{"goal", []string{"phase goal", "goal", "goals", "purpose", "objective", "目标", "目標", "목표", "mục tiêu", "objetivo", "objectif", "ziel", "цель"}},
	{"duration", []string{"duration", "timeline", "estimated duration", "工期", "期間", "기간", "thời gian", "duración", "durée", "dauer", "duração", "длительность", "срок"}},
	{"status", []string{"status", "current status", "overall status",
		"状态", "狀態", "当前状态", "ステータス", "状態", "상태", "trạng thái", "tình trạng", "estado", "statut", "état", "situação", "статус", "состояние"}},
	{"assigned", []string{"assigned", "assigned to", "assignee", "owner", "subagent", "subagents", "subagent s", "assigned subagent", "assigned subagent s",
		"assigned subagents", "agent", "agents", "agent s", "primary agent", "delegate to", "subagent assignment", "mixed agents", "lead", "primary",
		"负责人", "負責人", "担当", "担当者", "담당자", "người phụ trách", "phụ trách", "responsable", "verantwortlich", "zuständig", "responsável", "ответственный", "исполнитель"}},
	{"backup", []string{"backup", "backup agent"}},
	{"review", []string{"review", "reviewer", "review agent", "reviewers", "validation agent", "审核人", "レビュアー", "검토자", "người duyệt", "revisor", "relecteur", "prüfer", "рецензент"}},
	{"title", []string{"title", "标题", "標題", "タイトル", "제목", "tiêu đề", "título", "titre", "titel", "название"}},
	{"version", []string{"version", "版本", "バージョン", "버전", "phiên bản", "versión", "versão", "версия"}},
	{"priority", []string{"priority", "优先级", "優先度", "우선순위", "độ ưu tiên", "ưu tiên", "prioridad", "priorité", "priorität", "prioridade", "приоритет"}},
	{"sprint", []string{"sprint", "current sprint", "当前迭代", "現在のスプリント", "현재 스프린트", "sprint hiện tại", "sprint actual", "sprint actuel", "aktueller sprint", "sprint atual", "текущий спринт"}},
	{"test-status", []string{"test status", "测试状态", "テスト状況", "테스트 상태", "trạng thái kiểm thử", "estado de pruebas", "statut des tests", "teststatus", "статус тестов"}},
}

// taskIDShapes are the shapes of the task ids plans write in any convention
// ("1.1", "TASK-001", "1A-2"). Conventions with a task grammar of their own
// (spec-kit "T001", Kiro "1.", BMAD "Task 1") add theirs in recognize.go.
var taskIDShapes = []struct {
	name, pattern string
}{
	{"dotted", `\d+(?:\.\d+)+[a-z]?`},                                 // 1.1, 2.3.1, 4.2a
	{"prefixed", `[A-Z][A-Z0-9]*(?:-[A-Z0-9]+)*-\d+[A-Z]?(?:\.\d+)?`}, // TASK-001, RBAC-1, N6-12
	{"sub-phase", `\d+[A-Z]-\d+`},                                     // 1A-2
}

// checkMarks are the boxes a checklist item opens with, beyond GFM's
// "[ ]" and "[x]" (which goldmark reads itself): Kiro writes "[-]" for a task
// in progress, others "[~]" or "[/]".
var checkMarks = []struct {
	mark   string
	status string
}{
	{"[-]", plan.InProgress}, {"[~]", plan.InProgress}, {"[/]", plan.InProgress},
}

// optionalMark follows a box to say the item is optional: Kiro's "[ ]*".
const optionalMark = "*"

// relationVocab names the relations a decision record writes before a link
// to another ("superseded by [0007](…)", "revises [0006](…)").
var relationVocab = []struct {
	kind  string
	words []string
}{
	{plan.SupersededBy, []string{"superseded by", "replaced by", "remplacé par", "ersetzt durch", "reemplazado por", "substituído por", "被取代", "置き換え"}},
	{"supersedes", []string{"supersedes", "replaces", "remplace", "ersetzt", "reemplaza", "substitui", "取代"}},
	{"revises", []string{"revises", "amends", "modifies"}},
	{"revised-by", []string{"revised by", "amended by", "modified by"}},
	{"realizes", []string{"realizes", "realises", "implements"}},
	{"resolves", []string{"resolves", "closes", "fixes"}},
	{"builds-on", []string{"builds on", "extends", "depends on"}},
	{"companion", []string{"companion to"}},
	{"relates-to", []string{"relates to", "related to", "see also"}},
}

// ---------------------------------------------------------------------------
// What the tables derive.

// wordMatcher is a table's words compiled. A word is matched by hand, as its
// regexp would match it, from the places where its first byte stands: one
// scan of the text for the whole table, where a regexp (or a substring
// search) per word would read the text once per word. The regexps are kept:
// StatusWordsOnly cuts matched words out with them, and the tests hold the
// matcher to them.
type wordMatcher struct {
	words []vocabWord
	// The words, in table order, by their first byte: those that must
	// start at a word boundary (open), and the others.
	open, first [256][]uint16
}

type vocabWord struct {
	hint  string // a literal any text the word matches contains
	re    *regexp.Regexp
	parts []string // the word's pieces, each run of spaces between them any run of separators
	// open and close: the word starts (ends) at an ASCII word boundary, as
	// a word that starts (ends) with an ASCII letter or digit must.
	open, close bool
	class       string // what the word reads as: a status, a relation kind
}

// match reports whether lower (lower-case text) holds one of the words.
func (m *wordMatcher) match(lower string) bool {
	for p := 0; p < len(lower); p++ {
		for _, i := range m.starting(lower, p, false) {
			if m.words[i].at(lower, p, false) >= 0 {
				return true
			}
		}
	}
	return false
}

// starting are the words that may start at p in s, by the byte there. A
// word opening with an ASCII letter or digit starts a word of the text
// (open), any other word opens with another byte: inside a word of the text
// nothing starts.
func (m *wordMatcher) starting(s string, p int, fold bool) []uint16 {
	c := s[p]
	if !isWordChar(c) {
		return m.first[c]
	}
	if p > 0 && isWordChar(s[p-1]) {
		return nil
	}
	if fold {
		c = lowerByte(c)
	}
	return m.open[c]
}

// index is the place of the first word in lower (the longest there), or nil.
func (m *wordMatcher) index(lower string) []int {
	if start, end, _ := m.find(lower); start >= 0 {
		return []int{start, end}
	}
	return nil
}

// find is the first word in lower: where it starts and ends, and its class;
// start is -1 when lower holds none. Of the words starting at one place the
// longest wins, and of equally long ones the first in the table, as the
// earliest match of each word's regexp compared would say.
func (m *wordMatcher) find(lower string) (start, end int, class string) { return m.scan(lower, false) }

// findASCII is find of s lower-cased, for s all ASCII, without the
// lower-cased copy.
func (m *wordMatcher) findASCII(s string) (start, end int, class string) { return m.scan(s, true) }

// scan is find, reading s's capitals as small letters when fold is set.
func (m *wordMatcher) scan(s string, fold bool) (start, end int, class string) {
	for p := 0; p < len(s); p++ {
		end = -1
		ws := m.starting(s, p, fold)
		if len(ws) == 0 {
			continue
		}
		// The byte after: most words that start here differ from the text
		// there already.
		next := byte(0)
		if p+1 < len(s) {
			next = s[p+1]
			if fold {
				next = lowerByte(next)
			}
		}
		for _, i := range ws {
			w := &m.words[i]
			if len(w.parts[0]) > 1 && w.parts[0][1] != next {
				continue
			}
			if e := w.at(s, p, fold); e > end {
				end, class = e, w.class
			}
		}
		if end >= 0 {
			return p, end, class
		}
	}
	return -1, -1, ""
}

// at is the end of the word matched at p in s, or -1.
func (w *vocabWord) at(s string, p int, fold bool) int {
	if w.open && p > 0 && isWordChar(s[p-1]) {
		return -1
	}
	i := p
	for k, part := range w.parts {
		if k > 0 {
			j := i
			for j < len(s) && isWordSep(s[j]) {
				j++
			}
			if j == i {
				return -1
			}
			i = j
		}
		if fold && !hasLowerPrefix(s[i:], part) || !fold && !strings.HasPrefix(s[i:], part) {
			return -1
		}
		i += len(part)
	}
	if w.close && i < len(s) && isWordChar(s[i]) {
		return -1
	}
	return i
}

// hasLowerPrefix reports whether s, ASCII capitals read as small letters,
// opens with prefix.
func hasLowerPrefix(s, prefix string) bool {
	if len(s) < len(prefix) {
		return false
	}
	for i := 0; i < len(prefix); i++ {
		if lowerByte(s[i]) != prefix[i] {
			return false
		}
	}
	return true
}

func lowerByte(c byte) byte {
	if 'A' <= c && c <= 'Z' {
		return c + 'a' - 'A'
	}
	return c
}

// isWordChar is regexp's \w: what an ASCII word boundary (\b) stands beside.
func isWordChar(c byte) bool {
	return c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || c == '_'
}

// isWordSep is what a space in a table word stands for: [\s_-].
func isWordSep(c byte) bool {
	return c == ' ' || c == '\t' || c == '\n' || c == '\f' || c == '\r' || c == '_' || c == '-'
}

// compileWords compiles each word of a class to its regexp, hint and pieces.
func compileWords(words []string, class string) wordMatcher {
	m := wordMatcher{words: make([]vocabWord, 0, len(words))}
	for _, w := range words {
		lw := strings.ToLower(w)
		r := []rune(lw)
		vw := vocabWord{hint: longestRun(lw), re: regexp.MustCompile(wordPattern(w)), parts: strings.Fields(lw),
			open: isASCIIWord(r[0]), close: isASCIIWord(r[len(r)-1]), class: class}
		for _, part := range vw.parts[1:] {
			if isWordSep(part[0]) {
				// A separator run is read greedily, as far as it goes.
				panic("vocabulary word " + strconv.Quote(w) + " has a piece opening with a separator")
			}
		}
		m.add(vw)
	}
	return m
}

// add indexes one more word.
func (m *wordMatcher) add(w vocabWord) {
	c, i := w.parts[0][0], uint16(len(m.words))
	m.words = append(m.words, w)
	if w.open {
		m.open[c] = append(m.open[c], i)
	} else {
		m.first[c] = append(m.first[c], i)
	}
}

// joinWords is one matcher of several classes' words, in table order.
func joinWords(classes []wordClass) wordMatcher {
	var m wordMatcher
	for _, c := range classes {
		for _, w := range c.words {
			m.add(w)
		}
	}
	return m
}

// wordPattern is a word's regexp, for lower-case text: spaces stand for any
// run of spaces, underscores and hyphens; ASCII words match whole.
func wordPattern(w string) string {
	w = strings.ToLower(w)
	parts := strings.Fields(w)
	for i, p := range parts {
		parts[i] = regexp.QuoteMeta(p)
	}
	pat := strings.Join(parts, `[\s_-]+`)
	r := []rune(w)
	if isASCIIWord(r[0]) {
		pat = `\b` + pat
	}
	if isASCIIWord(r[len(r)-1]) {
		pat += `\b`
	}
	return pat
}

func isASCIIWord(r rune) bool {
	return r < 0x80 && (unicode.IsLetter(r) || unicode.IsDigit(r) || r == '_')
}

// longestRun is the longest run of letters and digits in w: any text the
// word's pattern matches holds it literally.
func longestRun(w string) string {
	best := ""
	for _, f := range strings.FieldsFunc(w, func(r rune) bool { return !unicode.IsLetter(r) && !unicode.IsDigit(r) && !unicode.Is(unicode.Mn, r) }) {
		if len(f) > len(best) {
			best = f
		}
	}
	if best == "" {
		return w
	}
	return best
}

// wordClass is the compiled words of one class: a status, a relation kind.
type wordClass struct {
	wordMatcher
	class string
}

var (
	statusWords = func() []wordClass {
		out := make([]wordClass, 0, len(statusVocab))
		for _, s := range statusVocab {
			out = append(out, wordClass{compileWords(s.words, s.status), s.status})
		}
		return out
	}()
	relations = func() []wordClass {
		out := make([]wordClass, 0, len(relationVocab))
		for _, r := range relationVocab {
			out = append(out, wordClass{compileWords(r.words, r.kind), r.kind})
		}
		return out
	}()
	// statusMatcher is every status word, in one matcher.
	statusMatcher = joinWords(statusWords)
	gateWords     = compileWords(gateVocab, "")
	logWords      = compileWords(logVocab, "")
	keySynonym    = func() map[string]string {
		m := map[string]string{}
		for _, k := range keyVocab {
			for _, n := range k.names {
				m[foldKey(n)] = k.key
			}
		}
		return m
	}()
	phaseWordRe = func() string {
		alts := make([]string, 0, len(phaseVocab))
		for _, w := range phaseVocab {
			alts = append(alts, strings.ReplaceAll(regexp.QuoteMeta(w), " ", `\s+`))
		}
		return `(?:` + strings.Join(alts, "|") + `)`
	}()
)

// idPattern matches one task id of any shape in taskIDShapes.
var idPattern = func() string {
	alts := make([]string, 0, len(taskIDShapes))
	for _, s := range taskIDShapes {
		alts = append(alts, s.pattern)
	}
	return strings.Join(alts, "|")
}()

// startsWithPhaseWord is the pre-check of the phase heading patterns: they
// are anchored at a phase word.
func startsWithPhaseWord(t string) bool {
	head := t[:min(len(t), 24)]
	if isASCII(head) { // then only an ASCII word can open it, in any case
		for _, w := range phaseVocab {
			if len(head) >= len(w) && containsFold(head[:len(w)], w) {
				return true
			}
		}
		return false
	}
	head = strings.ToLower(head)
	for _, w := range phaseVocab {
		if strings.HasPrefix(head, w) {
			return true
		}
	}
	return false
}
