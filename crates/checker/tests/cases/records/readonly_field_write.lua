-- No field of a readonly record may be assigned (E0008).
type Limits = readonly {max: integer, min: integer}
local function bump(l: Limits): integer
    l.max = l.max + 1 -- expect-error: cannot assign to field `max` of readonly Limits
    return l.max
end
print(bump({ max = 1, min = 0 }))
