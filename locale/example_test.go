package locale_test

import (
	"fmt"
	"log"
	"time"

	"github.com/gornado/gornado/locale"
)

func ExampleLoadCSV() {
	tr, err := locale.LoadCSV("testdata/csv")
	if err != nil {
		log.Fatal(err)
	}
	es := tr.FromAcceptLanguage("es-MX, en;q=0.5")
	fmt.Println(es.Code(), es.Translate("I love you"))
	people := []string{"Ana", "Luis"}
	msg := es.TranslatePlural("%(name)s liked this", "%(name)s liked this", len(people))
	fmt.Println(locale.Format(msg, map[string]any{"name": es.List(people)}))
	// Output:
	// es_LA Te amo
	// A Ana y Luis les gustó esto
}

func ExampleLoadGettext() {
	tr, err := locale.LoadGettext("testdata/gettext", "app")
	if err != nil {
		log.Fatal(err)
	}
	ru := tr.Get("ru")
	for _, n := range []int{1, 3, 5} {
		fmt.Println(locale.Format(ru.TranslatePlural("%(n)d file", "%(n)d files", n), map[string]any{"n": n}))
	}
	// Output:
	// 1 файл
	// 3 файла
	// 5 файлов
}

func ExampleLocale_FormatDate() {
	en := locale.Get("en_US")
	now := time.Date(2024, 3, 15, 18, 0, 0, 0, time.UTC)
	for _, ago := range []time.Duration{3 * time.Minute, 2 * time.Hour, 24 * time.Hour, 72 * time.Hour, 40 * 24 * time.Hour} {
		fmt.Println(en.FormatDate(now.Add(-ago), locale.DateConfig{Now: now}))
	}
	fmt.Println(en.FormatDate(now.AddDate(-2, 0, 0), locale.DateConfig{Now: now, Shorter: true}))
	// Output:
	// 3 minutes ago
	// 2 hours ago
	// yesterday at 6:00 pm
	// Tuesday at 6:00 pm
	// February 4 at 6:00 pm
	// March 15, 2022
}
