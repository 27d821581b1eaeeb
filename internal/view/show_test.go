package view

import (
	"bytes"
	"strings"
	"testing"

	"github.com/pixcert/pixcert/internal/certif"
	"github.com/pixcert/pixcert/internal/output"
	"github.com/pixcert/pixcert/internal/store"
)

// Two sendings of the latest minute that disagree: the files cannot say
// which came last, and the page says so; sendings that agree, or of
// different minutes, say nothing.
func TestShowSaysWhenTheLatestMinuteHoldsSendingsThatDisagree(t *testing.T) {
	student := store.StudentStatus{LastName: "DUPONT", FirstName: "Léa", Class: "3E2", Status: certif.Certifiable,
		HasProfile: true, StatusDate: "2026-03-14", Campaign: "Collecte 3e", CertifiableCt: 5}
	sent := func(at string, competences, pix int) store.Sending {
		return store.Sending{Sent: true, SentAt: at, CertifiableCompetences: competences, PixTotal: pix, Campaign: "Collecte 3e", Ref: "P1"}
	}
	tests := []struct {
		name    string
		history []store.Sending
		want    string // "" for no note
	}{
		{"same minute, different results", []store.Sending{sent("2026-03-14 10:42", 5, 60), sent("2026-03-14 10:42", 3, 40)},
			"Attention : 2 profils ont été envoyés la même minute (14/03/2026 10:42) avec des résultats différents (5 et 3 compétences certifiables)."},
		{"same minute, other competences, the most pix with fewer", []store.Sending{sent("2026-03-14 10:42", 5, 59), sent("2026-03-14 10:42", 3, 74)},
			"(5 et 3 compétences certifiables). Les fichiers de Pix ne donnent que la minute : l'ordre de ces envois ne peut pas être connu. " +
				"pixcert retient celui qui a le plus de compétences certifiables ; un nouvel envoi lèvera le doute."},
		// As many certifiable competences: the status is the same whichever
		// came last (pix-formats.md §2: say so only if they disagree).
		{"same minute, same competences, other pix", []store.Sending{sent("2026-03-14 10:42", 5, 60), sent("2026-03-14 10:42", 5, 52)}, ""},
		{"same minute, same competences, other profiles", []store.Sending{sent("2026-03-14 10:42", 6, 60), sent("2026-03-14 10:42", 6, 60)}, ""},
		{"three in a minute, two of the most competences", []store.Sending{sent("2026-03-14 10:42", 6, 60), sent("2026-03-14 10:42", 6, 52), sent("2026-03-14 10:42", 4, 70)},
			"Attention : 3 profils ont été envoyés la même minute (14/03/2026 10:42) avec des résultats différents (6, 6 et 4 compétences certifiables). " +
				"Les fichiers de Pix ne donnent que la minute : l'ordre de ces envois ne peut pas être connu. " +
				"pixcert retient celui qui a le plus de compétences certifiables, puis, entre ceux qui en ont autant, le plus de pix ; un nouvel envoi lèvera le doute."},
		{"three in a minute, one of the most competences", []store.Sending{sent("2026-03-14 10:42", 6, 60), sent("2026-03-14 10:42", 4, 52), sent("2026-03-14 10:42", 4, 70)},
			"(6, 4 et 4 compétences certifiables). Les fichiers de Pix ne donnent que la minute : l'ordre de ces envois ne peut pas être connu. " +
				"pixcert retient celui qui a le plus de compétences certifiables ; un nouvel envoi lèvera le doute."},
		{"same minute, same results", []store.Sending{sent("2026-03-14 10:42", 5, 60), sent("2026-03-14 10:42", 5, 60)}, ""},
		{"different minutes", []store.Sending{sent("2026-03-14 10:43", 5, 60), sent("2026-03-14 10:42", 3, 40)}, ""},
		{"dates without time order nothing", []store.Sending{sent("2026-03-14", 5, 60), sent("2026-03-14", 3, 40)}, ""},
		{"an older minute that disagrees does not matter", []store.Sending{sent("2026-03-15 08:00", 5, 60), sent("2026-03-14 10:42", 5, 60), sent("2026-03-14 10:42", 3, 40)}, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var b bytes.Buffer
			WriteIdentity(&b, student, tt.history)
			got := b.String()
			if tt.want == "" && strings.Contains(got, "Attention") {
				t.Errorf("a note where there is no doubt:\n%s", got)
			}
			if tt.want != "" && !strings.Contains(got, tt.want) {
				t.Errorf("got\n%s\nwant a line with %q", got, tt.want)
			}
			js := jsonOfShow(t, Show(student, tt.history))
			if want := tt.want != ""; strings.Contains(js, `"same_minute_sendings_disagree": true`) != want {
				t.Errorf("JSON says same_minute_sendings_disagree %v wrongly:\n%s", !want, js)
			}
		})
	}
}

func jsonOfShow(t *testing.T, doc output.Document) string {
	t.Helper()
	w, err := output.New("json", []string{"json"})
	if err != nil {
		t.Fatal(err)
	}
	var b bytes.Buffer
	if err := w.Write(&b, doc); err != nil {
		t.Fatal(err)
	}
	return b.String()
}
