-- table.sort's comparator is typed by the list.
type Row = {rank: integer}
local rows: {Row} = { { rank = 2 }, { rank = 1 } }
table.sort(rows, function(a, b)
    return a.rank < b.rank
end)
table.sort(rows, function(a, b)
    return a.rnak < b.rank -- expect-error: no field `rnak` in Row; did you mean `rank`?
end)
