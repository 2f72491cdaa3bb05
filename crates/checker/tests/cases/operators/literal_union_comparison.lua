-- Comparing a literal union with a value it never holds.
type Status = "draft" | "done"
local function is_final(s: Status): boolean
    return s == "dnoe" -- expect-error: comparison of Status with "dnoe" is always false
end
local function is_done(s: Status): boolean
    return s == "done"
end
print(is_final("done"), is_done("draft"))
