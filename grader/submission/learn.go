package submission

import (
	"encoding/json"
	"regexp"
	"strings"
)

// What docker prints that tells a Translator the student's identifiers.
var (
	joinTokenRe     = regexp.MustCompile(`SWMTKN-1-[A-Za-z0-9]+-[A-Za-z0-9]+`)
	initNodeRe      = regexp.MustCompile(`current node \(([a-z0-9]{10,})\)`)
	joinLineAddrRe  = regexp.MustCompile(`docker swarm join\s+--token\s+\S+\s+(\d{1,3}(?:\.\d{1,3}){3}):\d+`)
	promptAddrRe    = regexp.MustCompile(`@(\d{1,3}(?:\.\d{1,3}){3})\b`)
	ipPortRe        = regexp.MustCompile(`^(\d{1,3}(?:\.\d{1,3}){3})(?::\d+)?$`)
	containerLineRe = regexp.MustCompile(`(?m)^[0-9a-f]{64}$`)
	serviceLineRe   = regexp.MustCompile(`(?m)^[a-z0-9]{25}$`)
	swarmIDRe       = regexp.MustCompile(`^[a-z0-9]{25}$`)
	// serviceShortIDRe: docker service ls shows the first 12 characters.
	serviceShortIDRe = regexp.MustCompile(`^[a-z0-9]{12,25}$`)
	shortIDRe        = regexp.MustCompile(`^[0-9a-f]{12,64}$`)
	infoNodeIDRe     = regexp.MustCompile(`(?m)^\s*NodeID:\s*([a-z0-9]{25})\s*$`)
	infoAddrRe       = regexp.MustCompile(`(?m)^\s*Node Address:\s*(\d{1,3}(?:\.\d{1,3}){3})\s*$`)
	prettyIDRe       = regexp.MustCompile(`(?m)^ID:\s+([a-z0-9]{25})\s*$`)
	prettyHostRe     = regexp.MustCompile(`(?m)^\s*Hostname:\s+(\S+)\s*$`)
	prettyAddrRe     = regexp.MustCompile(`(?m)^\s*Address:\s+(\d{1,3}(?:\.\d{1,3}){3})\s*$`)
)

// tableRow is one row of a docker table: its first column (an ID), the
// name it shows and, for containers, the image.
type tableRow struct {
	id, name, image string
}

// nodeTable reads `docker node ls`: ID [*] HOSTNAME STATUS ...
func nodeTable(out string) []tableRow {
	var rows []tableRow
	for _, f := range tableLines(out, "HOSTNAME") {
		if len(f) < 2 || !swarmIDRe.MatchString(f[0]) {
			continue
		}
		host := f[1]
		if host == "*" && len(f) > 2 {
			host = f[2]
		}
		rows = append(rows, tableRow{id: f[0], name: host})
	}
	return rows
}

// containerTable reads `docker ps`: CONTAINER ID, IMAGE, ..., NAMES last.
func containerTable(out string) []tableRow {
	var rows []tableRow
	for _, f := range tableLines(out, "CONTAINER ID") {
		if len(f) < 3 || !shortIDRe.MatchString(f[0]) {
			continue
		}
		rows = append(rows, tableRow{id: f[0], image: f[1], name: f[len(f)-1]})
	}
	return rows
}

// serviceTable reads `docker service ls`: ID NAME MODE REPLICAS IMAGE.
func serviceTable(out string) []tableRow {
	var rows []tableRow
	for _, f := range tableLines(out, "REPLICAS") {
		if len(f) < 2 || !serviceShortIDRe.MatchString(f[0]) {
			continue
		}
		rows = append(rows, tableRow{id: f[0], name: f[1]})
	}
	return rows
}

// tableLines returns the fields of the lines after a header containing
// marker, up to the next blank line.
func tableLines(out, marker string) [][]string {
	var rows [][]string
	in := false
	for _, line := range strings.Split(out, "\n") {
		switch {
		case strings.Contains(line, marker) && strings.Contains(line, "ID"):
			in = true
		case in && strings.TrimSpace(line) == "":
			in = false
		case in:
			rows = append(rows, strings.Fields(line))
		}
	}
	return rows
}

// inspectedNodes reads `docker node inspect`, JSON or --pretty.
func inspectedNodes(out string) (ids, hosts, addrs []string) {
	var nodes []struct {
		ID          string
		Description struct{ Hostname string }
		Status      struct{ Addr string }
	}
	if err := json.Unmarshal([]byte(strings.TrimSpace(out)), &nodes); err == nil {
		for _, n := range nodes {
			ids, hosts, addrs = append(ids, n.ID), append(hosts, n.Description.Hostname), append(addrs, n.Status.Addr)
		}
		return ids, hosts, addrs
	}
	id, host, addr := prettyIDRe.FindStringSubmatch(out), prettyHostRe.FindStringSubmatch(out), prettyAddrRe.FindStringSubmatch(out)
	if id != nil && host != nil {
		a := ""
		if addr != nil {
			a = addr[1]
		}
		return []string{id[1]}, []string{host[1]}, []string{a}
	}
	return nil, nil, nil
}

// inspectedServices reads `docker service inspect` JSON.
func inspectedServices(out string) []tableRow {
	var svcs []struct {
		ID   string
		Spec struct{ Name string }
	}
	if json.Unmarshal([]byte(strings.TrimSpace(out)), &svcs) != nil {
		return nil
	}
	var rows []tableRow
	for _, s := range svcs {
		rows = append(rows, tableRow{id: s.ID, name: s.Spec.Name})
	}
	return rows
}

// pairRows pairs the rows of the student's table with the replay's table
// of the same command: by name; for service tasks (sleep-app.3.k2j4...) by
// service and slot; the rest by their order among rows of the same image,
// since generated names (zealous_lovelace) differ between runs.
func pairRows(student, replay []tableRow) [][2]tableRow {
	var pairs [][2]tableRow
	used := make([]bool, len(replay))
	matched := make([]bool, len(student))
	match := func(key func(tableRow) string) {
		for i, s := range student {
			if matched[i] || key(s) == "" {
				continue
			}
			for j, r := range replay {
				if !used[j] && key(r) == key(s) {
					pairs = append(pairs, [2]tableRow{s, r})
					used[j], matched[i] = true, true
					break
				}
			}
		}
	}
	match(func(r tableRow) string { return r.name })
	match(taskSlot)
	match(func(r tableRow) string { return r.image })
	return pairs
}

var taskNameRe = regexp.MustCompile(`^(.+\.\d+)\.[a-z0-9]{25}$`)

func taskSlot(r tableRow) string {
	if m := taskNameRe.FindStringSubmatch(r.name); m != nil {
		return m[1]
	}
	return ""
}

func lastMatch(re *regexp.Regexp, s string) string {
	all := re.FindAllString(s, -1)
	if len(all) == 0 {
		return ""
	}
	return all[len(all)-1]
}

func firstSubmatch(re *regexp.Regexp, s string) string {
	if m := re.FindStringSubmatch(s); m != nil {
		return m[1]
	}
	return ""
}
