-- `while x do … end`: `x` is not nil in the body.
type Node = {value: integer, next: Node?}
local function sum(head: Node?): integer
    local total = 0
    local n = head
    while n do
        total = total + n.value
        n = n.next
    end
    return total
end
print(sum(nil))
