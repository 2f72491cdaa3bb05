-- `while x and x.next do`.
type N = {next: N?}
local function last(n: N): N
    local cur = n
    while cur.next do
        cur = cur.next
    end
    return cur
end
print(last({}))
