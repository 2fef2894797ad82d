"""Invented texts for language identification: articles in other languages, and English that a
detector could take for another language (headlines, lists of names, English quoting foreign words).

Every text is made up for these tests; none is taken from the dev sets or the seeds.
"""

from __future__ import annotations

# An article's worth (three or four sentences) in a language storyline's NLP does not read.
FOREIGN = {
    "ru": (
        "Управление порта в среду объявило, что новый причал откроется весной следующего года. "
        "Директор порта сообщил журналистам, что работы выполнены наполовину и обошлись дешевле, чем ожидалось. "
        "Профсоюз докеров заявил, что не будет проводить забастовку до окончания переговоров."
    ),
    "uk": (
        "Адміністрація порту в середу оголосила, що новий причал відкриється навесні наступного року. "
        "Директор порту повідомив журналістам, що роботи виконано наполовину. "
        "Профспілка докерів заявила, що не страйкуватиме до завершення переговорів."
    ),
    "ar": (
        "أعلنت سلطة الميناء يوم الأربعاء أن الرصيف الجديد سيفتتح في الربيع المقبل. "
        "وقال مدير الميناء للصحفيين إن نصف الأعمال قد أنجز بتكلفة أقل من المتوقع. "
        "وأكدت نقابة عمال الميناء أنها لن تضرب قبل انتهاء المفاوضات."
    ),
    "el": (
        "Η λιμενική αρχή ανακοίνωσε την Τετάρτη ότι η νέα προβλήτα θα ανοίξει την επόμενη άνοιξη. "
        "Ο διευθυντής του λιμανιού είπε στους δημοσιογράφους ότι οι εργασίες έχουν ολοκληρωθεί κατά το ήμισυ. "
        "Το σωματείο των λιμενεργατών δήλωσε ότι δεν θα απεργήσει πριν από το τέλος των διαπραγματεύσεων."
    ),
    "hi": (
        "बंदरगाह प्राधिकरण ने बुधवार को घोषणा की कि नया घाट अगले वसंत में खुलेगा। "
        "बंदरगाह के निदेशक ने पत्रकारों को बताया कि आधा काम पूरा हो चुका है और लागत अनुमान से कम रही। "
        "गोदी कर्मचारियों के संघ ने कहा कि बातचीत पूरी होने तक वह हड़ताल नहीं करेगा।"
    ),
    "he": (
        "רשות הנמל הודיעה ביום רביעי כי המזח החדש ייפתח באביב הבא. "
        "מנהל הנמל אמר לעיתונאים כי מחצית מהעבודות הושלמו בעלות נמוכה מהצפוי. "
        "ועד עובדי הנמל הודיע כי לא ישבות עד לסיום המשא ומתן."
    ),
    "fr": (
        "L'autorité portuaire a annoncé mercredi que le nouveau quai ouvrirait au printemps prochain. "
        "Le directeur du port a déclaré aux journalistes que la moitié des travaux était achevée, "
        "pour un coût inférieur aux prévisions. Le syndicat des dockers a assuré qu'il ne ferait pas "
        "grève avant la fin des négociations."
    ),
    "de": (
        "Die Hafenbehörde hat am Mittwoch angekündigt, dass der neue Kai im kommenden Frühjahr eröffnet wird. "
        "Der Hafendirektor sagte vor Journalisten, die Hälfte der Arbeiten sei abgeschlossen und billiger "
        "als erwartet. Die Gewerkschaft der Hafenarbeiter erklärte, sie werde vor dem Ende der Verhandlungen "
        "nicht streiken."
    ),
    "es": (
        "La autoridad portuaria anunció el miércoles que el nuevo muelle abrirá la próxima primavera. "
        "El director del puerto dijo a los periodistas que la mitad de las obras ya está terminada y que "
        "costó menos de lo previsto. El sindicato de estibadores afirmó que no irá a la huelga antes del "
        "final de las negociaciones."
    ),
    "tr": (
        "Liman idaresi çarşamba günü yeni iskelenin gelecek bahar açılacağını duyurdu. "
        "Liman müdürü gazetecilere çalışmaların yarısının tamamlandığını ve maliyetin beklenenden düşük "
        "kaldığını söyledi. Liman işçileri sendikası görüşmeler bitmeden greve gitmeyeceğini açıkladı."
    ),
}

# A headline's worth, for the shortest document a detector must still tell.
FOREIGN_HEADLINES = {
    "ru": "Новый причал в порту откроется весной",
    "ar": "الرصيف الجديد في الميناء يفتتح في الربيع",
    "el": "Η νέα προβλήτα του λιμανιού ανοίγει την άνοιξη",
    "de": "Neuer Kai im Hafen öffnet im Frühjahr",
    "fr": "Le nouveau quai du port ouvrira au printemps",
}

# English a detector could misread: short, capitalised, full of names or of foreign words.
ENGLISH_TRICKY = {
    "headline": "Dockers Vote To End Strike At Harbour",
    "headline with a score": "Harbour Rovers Beat Kingsport 3-1, Clinch Cup Final Spot",
    "short line": "Talks will resume on Monday.",
    "dateline": "Last updated: 14 March 2024, 09:12 GMT",
    "names": (
        "Present were Jean-Pierre Lefèvre, Giovanni Rossi, Dmitri Ivanov, Juan Carlos Ortega, "
        "Klaus Schneider, Ahmed Al-Farsi and Nguyen Van Minh."
    ),
    "foreign words": (
        "The Bundestag debated the Ostpolitik anew, and the minister spoke of glasnost and a certain "
        "je ne sais quoi in the talks; the mood, she said, was one of Schadenfreude and déjà vu."
    ),
    "a quote in French": (
        'The mayor of Lyon said the port was "un projet pour toute la région" and that work would '
        "begin in the spring, after the council approves the budget next month."
    ),
    "a Russian name in Cyrillic": (
        "The harbour master, Ivan Petrov (Иван Петров), said on Wednesday that the new pier would open "
        "next spring and that half of the work was already done."
    ),
    "all capitals": "BREAKING: PORT WORKERS WALK OUT OVER PAY, TALKS COLLAPSE",
    "place names": "From Reykjavík to Thessaloniki, Dubrovnik and Kraków: the ferry routes reopen.",
}
