-- Orthanc Lua hook: forward every study that becomes stable to Fovea over DICOM C-STORE.
-- "fovea" is the DicomModalities entry (AE FOVEA, host fovea, port 11112) in docker-compose.yml.
-- SendToModality runs a store job synchronously; on failure the error is logged and the study
-- can be re-sent from Orthanc Explorer or with POST /modalities/fovea/store.

local TARGET = 'fovea'

function OnStableStudy(studyId, tags, metadata)
  local ok, err = pcall(SendToModality, studyId, TARGET)
  if ok then
    print('forwarded study ' .. studyId .. ' (' .. (tags['StudyInstanceUID'] or '?') .. ') to ' .. TARGET)
  else
    print('could not forward study ' .. studyId .. ' to ' .. TARGET .. ': ' .. tostring(err))
  end
end
