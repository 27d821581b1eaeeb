package store

import (
	"reflect"
	"testing"

	"pixcert/internal/collecte"
)

func TestPageRoundTrip(t *testing.T) {
	in := []storedParticipation{
		{id: 41, participant: 7, dedup: 1<<63 + 5, sentAt: "2026-03-14 10:42", pixTotal: 143, profile: encodeProfile(profile(10))},
		{id: 42, participant: 7, dedup: 9},
		{id: 43, participant: 1 << 40, dedup: 0, sentAt: "2025-06-12", pixTotal: 0},
	}
	var data []byte
	for i := range in {
		data = appendParticipation(data, &in[i])
	}
	var out []storedParticipation
	if err := decodePage(41, len(in), data, func(p *storedParticipation) error { out = append(out, *p); return nil }); err != nil {
		t.Fatal(err)
	}
	if !reflect.DeepEqual(out, in) {
		t.Errorf("decoded %+v\nwant %+v", out, in)
	}
	for cut := range len(data) {
		if err := decodePage(41, len(in), data[:cut], func(*storedParticipation) error { return nil }); err == nil {
			t.Errorf("a page cut at %d bytes of %d decodes", cut, len(data))
		}
	}
	if err := decodePage(41, len(in), append(data, 0), func(*storedParticipation) error { return nil }); err == nil {
		t.Error("a page with a byte too many decodes")
	}
}

func TestIdentityRoundTrip(t *testing.T) {
	for _, p := range []collecte.Participation{
		{LastName: "N'DIAYE", FirstName: "Inès", Class: "3E1"},
		{LastName: "Le Gall", FirstName: "Maëlle", Class: "", StudentNumber: "22104567", ExternalID: "123456789AB"},
		{},
	} {
		data := appendIdentity(nil, p)
		var got collecte.Participation
		if err := decodeIdentity(data, &got); err != nil || !reflect.DeepEqual(got, p) {
			t.Errorf("identity %+v decodes to %+v, %v", p, got, err)
		}
		for cut := range len(data) {
			if err := decodeIdentity(data[:cut], &got); err == nil {
				t.Errorf("identity %+v cut at %d bytes decodes", p, cut)
			}
		}
	}
}
