-- A value cast to a declared record is read by its fields.
type Job = {id: string, tries: integer}
local function load(raw: string): Job
    local job = json.decode(raw) :: Job
    job.tries = job.tries + 1
    job.tires = 0 -- expect-error: no field `tires` in Job; did you mean `tries`?
    return job
end
print(load("{}"))
