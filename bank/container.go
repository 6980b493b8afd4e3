package bank

import "ispit/internal/container"

// Banks, answer keys, amendments, rosters and payloads are canonical tar archives: see package container.

type member = container.Member

func writeContainer(members []member) []byte { return container.Write(members) }

func readContainer(data []byte, what string, limit int64, names ...string) ([][]byte, error) {
	return container.ReadNamed(data, what, limit, names...)
}

func readMembers(data []byte, what string, limit int64, maxMembers int) ([]member, error) {
	return container.Read(data, what, limit, maxMembers)
}
