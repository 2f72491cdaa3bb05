-- One function per case; each either answers or is stopped by a limit.
local cases = {}

function cases.ok()
    emit.json({ ok = true })
end

-- 100 references to one 20 KB string: 2 MB of JSON from 20 KB of heap.
function cases.fanout()
    emit.json(table.create(100, string.rep("x", 20000)))
end

-- 22 tables, 8M values: `t = {t, t}` doubling.
function cases.dag()
    local t = {}
    for _ = 1, 22 do
        t = { t, t }
    end
    emit.json(t)
end

function cases.put_dag()
    local t = {}
    for _ = 1, 22 do
        t = { t, t }
    end
    state.put("dags", "1", t)
    emit.json({ stored = true })
end

-- One concatenation of 2.5 MB, garbage again before the next interrupt tick: the tick found
-- the heap under the cap after a collection, and the handler answered 200.
function cases.concat_dropped()
    local s = string.rep("x", 500000)
    local x = s .. s .. s .. s .. s
    x = 1
    emit.json({ ok = x })
end

-- The same inside pcall: the refused allocation is caught, yet the limit holds.
function cases.concat_in_pcall()
    local s = string.rep("x", 500000)
    local ok = pcall(function()
        local x = s .. s .. s .. s .. s
        x = 1
        return x
    end)
    emit.json({ ok = ok })
end

-- table.concat builds 3 MB in one library call whose result is discarded.
function cases.table_concat()
    local t = table.create(6, string.rep("x", 500000))
    table.concat(t)
    emit.json({ ok = true })
end

-- An entity of 2 MB (put there by the test) read by a 1 MiB handler, result discarded.
function cases.big_get()
    state.get("blobs", "big")
    emit.json({ ok = true })
end

-- `state.list` returns one page; `after` continues.
function cases.list()
    local first = state.list("items")
    local rest = state.list("items", { after = first[#first].id })
    local few = state.query("items", "kind", "item", { limit = 5 })
    emit.json({ first = #first, rest = #rest, few = #few })
end

function cases.raise_table()
    error({ code = 42 })
end

function cases.raise_function()
    error(print)
end

function cases.status_101()
    emit.status(101)
    emit.json({ upgraded = true })
end

function cases.error_101()
    emit.error(101, "upgrade", "no")
end

-- The server frames the body itself: this length is wrong and must not be sent.
function cases.content_length()
    emit.header("content-length", "2")
    emit.header("transfer-encoding", "chunked")
    emit.body("hello world")
end

-- 20 MB of garbage with little live data: within the limit.
function cases.churn()
    local n = 0
    for i = 1, 2000 do
        local s = string.rep("y", 10000) .. i
        n = n + #s
    end
    emit.json({ n = n })
end

-- A 900 KB response (for the write-stall test).
function cases.big_body()
    emit.body(string.rep("z", 900000))
end

return cases
